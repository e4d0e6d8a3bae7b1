namespace HyMiRec.Trainer.Plotting;

/// <summary>A 5x7 bitmap font for chart labels: digits, lower-case letters (upper case is drawn lower case) and a little punctuation.</summary>
public static class PixelFont
{
    public const int GlyphWidth = 5;
    public const int GlyphHeight = 7;

    private static readonly Dictionary<char, string> Glyphs = new()
    {
        ['0'] = "01110100011001110101110011000101110", ['1'] = "00100011000010000100001000010001110",
        ['2'] = "01110100010000100010001000100011111", ['3'] = "11111000100010000010000011000101110",
        ['4'] = "00010001100101010010111110001000010", ['5'] = "11111100001111000001000011000101110",
        ['6'] = "00110010001000011110100011000101110", ['7'] = "11111000010001000100010000100001000",
        ['8'] = "01110100011000101110100011000101110", ['9'] = "01110100011000101111000010001001100",
        ['.'] = "00000000000000000000000000110001100", ['@'] = "01110100011011110101101111000001110",
        ['-'] = "00000000000000011111000000000000000", ['='] = "00000000001111100000111110000000000",
        [','] = "00000000000000000000011000010001000", [':'] = "00000011000110000000011000110000000",
        ['('] = "00010001000100001000010000010000010", [')'] = "01000001000001000010000100010001000",
        [' '] = "00000000000000000000000000000000000",
        ['a'] = "00000000000111000001011111000101111", ['b'] = "10000100001011011001100011000111110",
        ['c'] = "00000000000111010000100001000101110", ['d'] = "00001000010110110011100011000101111",
        ['e'] = "00000000000111010001111111000001110", ['f'] = "00110010010100011100010000100001000",
        ['g'] = "00000011111000110001011110000101110", ['h'] = "10000100001011011001100011000110001",
        ['i'] = "00100000000110000100001000010001110", ['j'] = "00010000000011000010000101001001100",
        ['k'] = "10000100001001010100110001010010010", ['l'] = "01100001000010000100001000010001110",
        ['m'] = "00000000001101010101101011000110001", ['n'] = "00000000001011011001100011000110001",
        ['o'] = "00000000000111010001100011000101110", ['p'] = "00000000001111010001111101000010000",
        ['q'] = "00000000000110110011011110000100001", ['r'] = "00000000001011011001100001000010000",
        ['s'] = "00000000000111010000011100000111110", ['t'] = "01000010001110001000010000100100110",
        ['u'] = "00000000001000110001100011001101101", ['v'] = "00000000001000110001100010101000100",
        ['w'] = "00000000001000110001101011010101010", ['x'] = "00000000001000101010001000101010001",
        ['y'] = "00000000001000110001011110000101110", ['z'] = "00000000001111100010001000100011111",
    };

    /// <summary>Width in pixels of <paramref name="text"/> at <paramref name="scale"/> (one blank column between glyphs).</summary>
    public static int Measure(string text, int scale) => text.Length == 0 ? 0 : ((text.Length * (GlyphWidth + 1)) - 1) * scale;

    public static void Draw(PngImage image, string text, int x, int y, int scale, (byte R, byte G, byte B) colour) =>
        Walk(text, (index, row, column) => image.Fill(x + (((index * (GlyphWidth + 1)) + column) * scale), y + (row * scale), scale, scale, colour));

    /// <summary>Text rotated a quarter turn anticlockwise (for a y-axis title), drawn upwards from (x, y).</summary>
    public static void DrawVertical(PngImage image, string text, int x, int y, int scale, (byte R, byte G, byte B) colour) =>
        Walk(text, (index, row, column) => image.Fill(x + (row * scale), y - (((index * (GlyphWidth + 1)) + column) * scale), scale, scale, colour));

    /// <summary>Calls <paramref name="pixel"/> with (character index, glyph row, glyph column) for every set pixel.</summary>
    private static void Walk(string text, Action<int, int, int> pixel)
    {
        for (var index = 0; index < text.Length; index++)
        {
            var glyph = Glyphs.GetValueOrDefault(char.ToLowerInvariant(text[index])) ?? Glyphs['-'];
            for (var row = 0; row < GlyphHeight; row++)
            {
                for (var column = 0; column < GlyphWidth; column++)
                {
                    if (glyph[(row * GlyphWidth) + column] == '1')
                    {
                        pixel(index, row, column);
                    }
                }
            }
        }
    }
}
