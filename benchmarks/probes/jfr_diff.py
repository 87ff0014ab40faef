"""Hand-run helper (issue 17, session 6): compares two JFR recordings of create credential.

For every frame, its inclusive share of the samples (Java and native) whose stack holds
AccountVaultService.createCredential, times the time per create given for each recording:
  python3 benchmarks/probes/jfr_diff.py with-log.jfr without-log.jfr US_WITH US_WITHOUT
With 1 1 it prints shares (fractions of the create) instead of microseconds.
"""
import json,subprocess,sys,collections
def load(f):
    out=subprocess.run(['jfr','print','--json','--events','jdk.ExecutionSample,jdk.NativeMethodSample','--stack-depth','64',f],capture_output=True,text=True).stdout
    ev=json.loads(out)['recording']['events']
    incl=collections.Counter(); tot=0
    for e in ev:
        st=e['values'].get('stackTrace')
        if not st: continue
        frames=[fr['method']['type']['name'].replace('/','.')+'.'+fr['method']['name'] for fr in st['frames']]
        if not any('AccountVaultService.createCredential' in x for x in frames): continue
        tot+=1
        for x in set(frames):
            if 'Lambda' in x: continue
            incl[x]+=1
    return incl,tot
a,ta=load(sys.argv[1]); b,tb=load(sys.argv[2]); ua=float(sys.argv[3]); ub=float(sys.argv[4])
rows=[]
for k in set(a)|set(b):
    x=a[k]/ta*ua; y=b[k]/tb*ub
    rows.append((x-y,x,y,k))
rows.sort(reverse=True)
for d,x,y,k in rows[:40]: print('%+6.2f us  log %5.2f  nolog %5.2f  %s'%(d,x,y,k))
