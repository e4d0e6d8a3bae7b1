import json,re,statistics as st,glob
seeds=[42,1,2,3,4,5]
def load(prefix):
    out={}
    for f,ss in [(f'{prefix}-seeds42-1-2',[42,1,2]),(f'{prefix}-seeds3-4-5',[3,4,5])]:
        d=json.load(open(f+'.json')) if not isinstance(f,dict) else f
        r=d['results'][0]
        log=open(f+'.log').read()
        vals=[(int(a),float(b)) for a,b in re.findall(r'early stop at epoch (\d+), best val ndcg@10 ([0-9.]+)',log)]
        for i,s in enumerate(ss):
            out[s]={k:r[k]['per_seed'][i] for k in ['recall@10','ndcg@10','recall@50','ndcg@50','recall@200','ndcg@200']}
            out[s]['val']=vals[i][1]; out[s]['stop']=vals[i][0]
    return out
base='docs/results/ml100k-2026-12-06-design-default/design-coarse-positions32'
runs={'s3w4 (default)':load(base),'s1w1':load('docs/results/ml100k-2026-12-07-s1-selected/s1w1'),'s2w4':load('docs/results/ml100k-2026-12-07-s1-selected/s2w4')}
for name,r in runs.items():
    print(name)
    for k in ['recall@10','ndcg@10','recall@50','recall@200','val','stop']:
        v=[r[s][k] for s in seeds]
        print(f'  {k}: per seed', ', '.join(f'{x:.4f}' if k!='stop' else str(x) for x in v), f' mean {st.mean(v):.4f} ± {st.stdev(v):.4f}')
grid=['s1w1','s2w4','s3w4 (default)']
sel={}
for s in seeds:
    best=max(grid,key=lambda g:(runs[g][s]['val'], -grid.index(g)))
    sel[s]=best
print('selected', sel)
for k in ['recall@10','ndcg@10','recall@50','recall@200']:
    v=[runs[sel[s]][s][k] for s in seeds]
    print(f'  selected {k}:', ', '.join(f'{x:.4f}' for x in v), f' mean {st.mean(v):.4f} ± {st.stdev(v):.4f}')
def paired(a,b,k):
    d=[runs[a][s][k]-runs[b][s][k] if b in runs else None for s in seeds]
    return d
for a,b in [('s3w4 (default)','s1w1'),('s3w4 (default)','s2w4')]:
    for k in ['recall@10','ndcg@10','recall@50','recall@200']:
        d=paired(a,b,k)
        print(f'{a} - {b} {k}: ', ', '.join(f'{x:+.4f}' for x in d), f' mean {st.mean(d):+.4f}, se {st.stdev(d)/len(d)**0.5:.4f}')
sas_full={'recall@10':[0.2047,0.2036,0.2025,0.1888,0.2004,0.2100],'ndcg@10':[0.1111,0.1028,0.1044,0.0955,0.1059,0.1082]}
for k in ['recall@10','ndcg@10']:
    v=[runs[sel[s]][s][k] for s in seeds]
    d=[x-y for x,y in zip(v,sas_full[k])]
    print(f'selected - SASRec full {k}:', f'{st.mean(d):+.4f} se {st.stdev(d)/6**0.5:.4f}', f'{st.mean(v)/st.mean(sas_full[k])-1:+.1%}')
