# Validation and test NDCG@10 on ML-100K for two models that fit no user's context (no training contexts to
# memorise): popularity over the training sequences, and a first-order chain (training transitions from the input's
# last item, popularity breaking ties). Usage: python3 val_test_gap.py [path to ml-100k]
import collections, math, sys
# ML-100K leave-one-out as the trainer builds it: per user, events by timestamp (stable: file order on ties).
by = collections.defaultdict(list)
for line in open((sys.argv[1] if len(sys.argv) > 1 else '../shared/datasets/ml-100k') + '/u.data'):
    u, i, r, t = line.split('\t'); by[int(u)].append((int(t), int(i)))
seqs = {u: [i for _, i in sorted(ev, key=lambda e: e[0])] for u, ev in by.items()}
train = {u: s[:-2] for u, s in seqs.items()}
val = [(s[:-2], s[-2]) for s in seqs.values()]
test = [(s[:-1], s[-1]) for s in seqs.values()]
pop = collections.Counter(i for s in train.values() for i in s)
trans = collections.defaultdict(collections.Counter)
for s in train.values():
    for a, b in zip(s, s[1:]): trans[a][b] += 1
items = range(1, 1683)
def ndcg(cases, score):
    total = 0.0
    for inp, target in cases:
        seen = set(inp); sc = score(inp)
        t = sc(target)
        # The trainer's rule (RankingMetrics): items scored higher, and tied items with a smaller index, rank ahead;
        # the user's history is excluded.
        rank = sum(1 for j in items if j not in seen and j != target and (sc(j) > t or (sc(j) == t and j < target)))
        if rank < 10: total += 1 / math.log2(rank + 2)
    return total / len(cases)
popularity = lambda inp: (lambda j: pop[j])
markov = lambda inp: (lambda j, c=trans[inp[-1]]: c[j] + pop[j] / 1e6)
for name, model in [('popularity', popularity), ('markov (last item -> next)', markov)]:
    v, te = ndcg(val, model), ndcg(test, model)
    print(f"{name}: val N@10 {v:.4f}, test N@10 {te:.4f}, val - test {v - te:+.4f}")
