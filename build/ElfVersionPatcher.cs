// Compiled twice: as an MSBuild inline task (RoslynCodeTaskFactory) and into the test project
// (with HYMIREC_NO_MSBUILD_TASK), so the patch logic the build runs is the logic the tests check.
using System;
using System.IO;
using System.Text;

namespace HyMiRec.Build
{
    /// <summary>
    /// Marks one symbol-version requirement of an ELF64 little-endian shared object as weak
    /// (VER_FLG_WEAK in the Elf64_Vernaux entry), so the dynamic loader tolerates its absence.
    /// </summary>
    public static class ElfVersionPatcher
    {
        public const ushort VerFlagWeak = 0x2;
        private const uint ShtGnuVerneed = 0x6ffffffe;

        public enum Outcome
        {
            Patched,
            AlreadyWeak,
            NotReferenced,
        }

        public static Outcome MarkVersionWeak(string path, string versionName)
        {
            var bytes = File.ReadAllBytes(path);
            var outcome = MarkVersionWeak(bytes, versionName);
            if (outcome == Outcome.Patched)
            {
                // Write beside and rename, so a crash never leaves a half-written library.
                var temp = path + ".patching";
                File.WriteAllBytes(temp, bytes);
                File.Replace(temp, path, null);
            }

            return outcome;
        }

        public static Outcome MarkVersionWeak(byte[] elf, string versionName)
        {
            var s = elf;
            if (s.Length < 64 || s[0] != 0x7f || s[1] != (byte)'E' || s[2] != (byte)'L' || s[3] != (byte)'F')
            {
                throw new InvalidDataException("not an ELF file");
            }

            if (s[4] != 2 || s[5] != 1)
            {
                throw new InvalidDataException("only 64-bit little-endian ELF files are supported");
            }

            var shoff = checked((int)U64(s, 0x28));
            var shentsize = U16(s, 0x3A);
            var shnum = U16(s, 0x3C);
            var result = Outcome.NotReferenced;
            for (var i = 0; i < shnum; i++)
            {
                var sh = shoff + (i * shentsize);
                if (U32(s, sh + 4) != ShtGnuVerneed)
                {
                    continue;
                }

                var offset = checked((int)U64(s, sh + 24));
                var link = (int)U32(s, sh + 40);
                var count = (int)U32(s, sh + 44);
                var strtab = shoff + (link * shentsize);
                var strOffset = checked((int)U64(s, strtab + 24));

                var need = offset;
                for (var n = 0; n < count; n++)
                {
                    var auxCount = U16(s, need + 2);
                    var aux = need + (int)U32(s, need + 8);
                    for (var a = 0; a < auxCount; a++)
                    {
                        var name = ReadCString(s, strOffset + (int)U32(s, aux + 8));
                        if (name == versionName)
                        {
                            var flags = U16(s, aux + 4);
                            if ((flags & VerFlagWeak) != 0)
                            {
                                result = result == Outcome.Patched ? result : Outcome.AlreadyWeak;
                            }
                            else
                            {
                                var patched = flags | VerFlagWeak;
                                s[aux + 4] = (byte)(patched & 0xff);
                                s[aux + 5] = (byte)(patched >> 8);
                                result = Outcome.Patched;
                            }
                        }

                        aux += (int)U32(s, aux + 12);
                    }

                    need += (int)U32(s, need + 12);
                }
            }

            return result;
        }

        /// <summary>True when the host's libstdc++ defines the given symbol version (then no patch is needed).</summary>
        public static bool HostLibStdCxxHas(string versionName, string[] candidates)
        {
            var needle = Encoding.ASCII.GetBytes(versionName + "\0");
            foreach (var candidate in candidates)
            {
                if (File.Exists(candidate))
                {
                    return IndexOf(File.ReadAllBytes(candidate), needle) >= 0;
                }
            }

            // No libstdc++ where we looked: patching is harmless, so do it.
            return false;
        }

        private static string ReadCString(byte[] s, int offset)
        {
            var end = offset;
            while (s[end] != 0)
            {
                end++;
            }

            return Encoding.ASCII.GetString(s, offset, end - offset);
        }

        private static int IndexOf(byte[] haystack, byte[] needle)
        {
            for (var i = 0; i + needle.Length <= haystack.Length; i++)
            {
                var j = 0;
                while (j < needle.Length && haystack[i + j] == needle[j])
                {
                    j++;
                }

                if (j == needle.Length)
                {
                    return i;
                }
            }

            return -1;
        }

        private static ulong U64(byte[] s, int o) => U32(s, o) | ((ulong)U32(s, o + 4) << 32);

        private static uint U32(byte[] s, int o) => (uint)(s[o] | (s[o + 1] << 8) | (s[o + 2] << 16) | (s[o + 3] << 24));

        private static ushort U16(byte[] s, int o) => (ushort)(s[o] | (s[o + 1] << 8));
    }

#if !HYMIREC_NO_MSBUILD_TASK
    public sealed class PatchTorchSharpNative : Microsoft.Build.Utilities.Task
    {
        public string Directories { get; set; } = string.Empty;

        public string VersionName { get; set; } = "GLIBCXX_3.4.32";

        public override bool Execute()
        {
            var candidates = new[]
            {
                "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
                "/usr/lib64/libstdc++.so.6",
                "/lib/x86_64-linux-gnu/libstdc++.so.6",
                "/usr/lib/libstdc++.so.6",
            };
            if (Environment.OSVersion.Platform != PlatformID.Unix || ElfVersionPatcher.HostLibStdCxxHas(VersionName, candidates))
            {
                return true;
            }

            foreach (var dir in Directories.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries))
            {
                foreach (var sub in new[] { "", "runtimes/linux-x64/native", "cpu" })
                {
                    var file = Path.Combine(dir, sub, "libLibTorchSharp.so");
                    if (!File.Exists(file))
                    {
                        continue;
                    }

                    var outcome = ElfVersionPatcher.MarkVersionWeak(file, VersionName);
                    if (outcome == ElfVersionPatcher.Outcome.Patched)
                    {
                        Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High,
                            "HyMiRec: marked " + VersionName + " weak in " + file + " (host libstdc++ lacks it)");
                    }
                }
            }

            return true;
        }
    }
#endif
}
