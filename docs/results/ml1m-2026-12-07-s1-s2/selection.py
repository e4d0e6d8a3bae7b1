# ML-1M, seed 42: the three candidates of `train --select` (s1w1, s2w4, s3w4 = the default), the model validation
# picks (best validation NDCG@10, ties to the earlier grid entry, as SelectionGrid does), and paired differences.
import json, re, sys
here = sys.argv[1] if len(sys.argv) > 1 else 'docs/results/ml1m-2026-12-07-s1-s2'
runs = {
    's1w1': f'{here}/s1w1-seed42',
    's2w4': f'{here}/s2w4-seed42',
    's3w4 (default)': 'docs/results/ml1m-2026-12-06-coarse-state/hymirec-b2-coarse-recent-coarse-state-cw1-cp32-seed42',
}
keys = ['recall@10', 'ndcg@10', 'recall@50', 'ndcg@50', 'recall@200', 'ndcg@200']
rows = {}
for name, prefix in runs.items():
    r = json.load(open(prefix + '.json'))['results'][0]
    log = open(prefix + '.log').read()
    m = re.search(r'(?:stopped by the time budget \S+ at epoch (\d+)|early stop at epoch (\d+))[^\n]*?val ndcg@10 ([0-9.]+)', log)
    epochs = int(m.group(1) or m.group(2))
    vals = [(int(e), float(v)) for e, v in re.findall(r'epoch (\d+)/\d+ [^\n]*?val ndcg@10 ([0-9.]+)', log)]  # the per-epoch lines
    best_epoch = max(vals, key=lambda t: t[1])[0] if vals else None
    rows[name] = {k: r[k] for k in keys} | {'val': float(m.group(3)), 'epochs': epochs, 'best_epoch': best_epoch,
                                             'budget': 'time budget' in m.group(0)}
print('| candidate | best validation N@10 (epoch) | epochs run | ' + ' | '.join(keys) + ' |')
for name, r in rows.items():
    print(f"| {name} | {r['val']:.4f} ({r['best_epoch']}) | {r['epochs']}{' (budget)' if r['budget'] else ''} | " +
          ' | '.join(f'{r[k]:.4f}' for k in keys) + ' |')
grid = list(rows)
chosen = max(grid, key=lambda g: (rows[g]['val'], -grid.index(g)))
print(f'selected: {chosen}')
for a in grid:
    if a == 's3w4 (default)':
        continue
    print(f'default minus {a}: ' + ', '.join(f"{k} {rows['s3w4 (default)'][k] - rows[a][k]:+.4f}" for k in keys))
curves = {}
for name, prefix in runs.items():
    log = open(prefix + '.log').read()
    curves[name] = {int(e): float(v) for e, v in re.findall(r'epoch (\d+)/\d+ [^\n]*?val ndcg@10 ([0-9.]+)', log)}
common = sorted(set.intersection(*(set(c) for c in curves.values())))
print('validation N@10 at the epochs all three validated:')
for e in [x for x in common if x % 10 == 0 or x == common[-1]]:
    print(f'  epoch {e}: ' + ', '.join(f'{n} {curves[n][e]:.4f}' for n in curves))
last = common[-1]
print(f'best up to epoch {last}: ' + ', '.join(f'{n} {max(v for k, v in curves[n].items() if k <= last):.4f}' for n in curves))
