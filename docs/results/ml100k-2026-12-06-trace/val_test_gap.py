# Validation and test NDCG@10 on ML-100K for two models that fit no user's context (no training contexts to
# memorise): popularity over the training sequences, a first-order chain (training transitions from the input's
# last item) and co-occurrence within 5 positions (from the input's last 5 items); popularity breaks their ties. Usage: python3 val_test_gap.py [path to ml-100k]
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
users = list(seqs)  # the order val and test were built in
def ndcg(cases, score):
    """score(user, input) returns the scoring function of that case."""
    total = 0.0
    for u, (inp, target) in zip(users, cases):
        seen = set(inp); sc = score(u, inp)
        t = sc(target)
        # The trainer's rule (RankingMetrics): items scored higher, and tied items with a smaller index, rank ahead;
        # the user's history is excluded.
        rank = sum(1 for j in items if j not in seen and j != target and (sc(j) > t or (sc(j) == t and j < target)))
        if rank < 10: total += 1 / math.log2(rank + 2)
    return total / len(cases)
popularity = lambda u, inp: (lambda j: pop[j])
markov = lambda u, inp: (lambda j, c=trans[inp[-1]]: c[j] + pop[j] / 1e6)
# Items within 5 positions of each other in a training sequence, either order; scored from the input's last 5 items.
def pairs_of(sequences):
    pairs = collections.defaultdict(collections.Counter)
    for s in sequences:
        for k, a in enumerate(s):
            for b in s[max(0, k - 5):k]:
                pairs[a][b] += 1; pairs[b][a] += 1
    return pairs
near = pairs_of(train.values())
def window(u, inp):
    counts = collections.Counter()
    for a in inp[-5:]:
        counts.update(near[a])
    return lambda j: counts[j] + pop[j] / 1e6
for name, model in [('popularity', popularity), ('markov (last item -> next)', markov), ('co-occurrence within 5 positions, last 5 inputs', window)]:
    v, te = ndcg(val, model), ndcg(test, model)
    print(f"{name}: val N@10 {v:.4f}, test N@10 {te:.4f}, val - test {v - te:+.4f}")

# The same co-occurrence with each user's own training sequence taken out of the counts the user is scored with.
def without_own(u, inp):
    mine, counts = pairs_of([train[u]]), collections.Counter()
    for a in inp[-5:]:
        counts.update(near[a]); counts.subtract(mine[a])
    return lambda j: counts[j] + pop[j] / 1e6
v, te = ndcg(val, without_own), ndcg(test, without_own)
print(f"co-occurrence without the user's own sequence: val N@10 {v:.4f}, test N@10 {te:.4f}, val - test {v - te:+.4f}")
