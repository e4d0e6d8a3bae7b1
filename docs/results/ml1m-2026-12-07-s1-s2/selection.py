# ML-1M: the three candidates of `train --select` (s1w1, s2w4, s3w4 = the default) on each seed given, the model
# validation picks (best validation NDCG@10, ties to the earlier grid entry, as SelectionGrid does), paired
# differences, and over several seeds the mean ± sample standard deviation of each candidate and of the pick.
# Run from the repository root: python3 docs/results/ml1m-2026-12-07-s1-s2/selection.py 42 1 2
import json, re, statistics, sys
here = 'docs/results/ml1m-2026-12-07-s1-s2'
default_runs = 'docs/results/ml1m-2026-12-06-coarse-state/hymirec-b2-coarse-recent-coarse-state-cw1-cp32-seed'
seeds = [int(s) for s in sys.argv[1:]] or [42]
keys = ['recall@10', 'ndcg@10', 'recall@50', 'ndcg@50', 'recall@200', 'ndcg@200']
default = 's3w4 (default)'
epoch_line = r'epoch (\d+)/\d+ [^\n]*?val ndcg@10 ([0-9.]+)'  # the per-epoch lines, not the closing budget line


def read(prefix):
    r = json.load(open(prefix + '.json'))['results'][0]
    log = open(prefix + '.log').read()
    m = re.search(r'(?:stopped by the time budget \S+ at epoch (\d+)|early stop at epoch (\d+))[^\n]*?val ndcg@10 ([0-9.]+)', log)
    curve = {int(e): float(v) for e, v in re.findall(epoch_line, log)}
    best_epoch = max(curve, key=lambda e: (curve[e], -e)) if curve else None
    return {k: r[k] for k in keys} | {'val': float(m.group(3)), 'epochs': int(m.group(1) or m.group(2)),
                                      # a budget that ends inside an epoch still validates it, and when that
                                      # validation also ends the plateau the closing line says "early stop"
                                      'best_epoch': best_epoch, 'budget': 'time budget' in log,
                                      'plateau': 'early stop' in m.group(0), 'curve': curve}


def ended(r):
    why = [w for w, on in (('budget', r['budget']), ('plateau', r['plateau'])) if on]
    return f" ({', '.join(why)})" if why else ''


picked = {}
per_seed = {}
for seed in seeds:
    runs = {'s1w1': f'{here}/s1w1-seed{seed}', 's2w4': f'{here}/s2w4-seed{seed}', default: f'{default_runs}{seed}'}
    rows = {name: read(prefix) for name, prefix in runs.items()}
    per_seed[seed] = rows
    print(f'## seed {seed}')
    print('| candidate | best validation N@10 (epoch) | epochs run | ' + ' | '.join(keys) + ' |')
    for name, r in rows.items():
        print(f"| {name} | {r['val']:.4f} ({r['best_epoch']}) | {r['epochs']}{ended(r)} | " +
              ' | '.join(f'{r[k]:.4f}' for k in keys) + ' |')
    grid = list(rows)
    chosen = max(grid, key=lambda g: (rows[g]['val'], -grid.index(g)))
    picked[seed] = chosen
    print(f'selected: {chosen}')
    for a in grid[:-1]:
        print(f'default minus {a}: ' + ', '.join(f"{k} {rows[default][k] - rows[a][k]:+.4f}" for k in keys))
    common = sorted(set.intersection(*(set(r['curve']) for r in rows.values())))
    print('validation N@10 at the epochs all three validated:')
    for e in [x for x in common if x % 10 == 0 or x == common[-1]]:
        print(f'  epoch {e}: ' + ', '.join(f"{n} {r['curve'][e]:.4f}" for n, r in rows.items()))
    last = common[-1]
    print(f'best up to epoch {last}: ' +
          ', '.join(f"{n} {max(v for k, v in r['curve'].items() if k <= last):.4f}" for n, r in rows.items()))
    print()

if len(seeds) > 1:
    def spread(values, sign=''):
        return f'{statistics.mean(values):{sign}.4f} ± {statistics.stdev(values):.4f}'

    print(f'## seeds {", ".join(map(str, seeds))}: mean ± sample standard deviation')
    print('| model | ' + ' | '.join(keys) + ' |')
    for name in per_seed[seeds[0]]:
        print(f'| {name} | ' + ' | '.join(spread([per_seed[s][name][k] for s in seeds]) for k in keys) + ' |')
    print('| selected (' + ', '.join(f'{s}: {picked[s]}' for s in seeds) + ') | ' +
          ' | '.join(spread([per_seed[s][picked[s]][k] for s in seeds]) for k in keys) + ' |')
    for name in list(per_seed[seeds[0]])[:-1]:
        print(f'default minus {name}, paired: ' + ', '.join(
            f"{k} {spread([per_seed[s][default][k] - per_seed[s][name][k] for s in seeds], '+')}" for k in keys[:2]))
