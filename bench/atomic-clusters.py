#!/usr/bin/env python3
# Counts atomic-context error findings per cluster (sink or chain pattern) in one or more SARIF files,
# for the round-to-round table in docs/reviews/atomic-rounds-1-4.md.
#   bench/atomic-clusters.py round3.sarif round4.sarif
import json,sys,collections
ATOMIC={'sleep-in-atomic','sleeping-alloc-in-atomic','vmalloc-in-atomic'}
def load(f):
    d=json.load(open(f))
    out=[]
    for r in d['runs'][0]['results']:
        if r['level']!='error' or r['ruleId'] not in ATOMIC: continue
        locs=r['codeFlows'][0]['threadFlows'][0]['locations']
        steps=[(l['location']['physicalLocation']['artifactLocation']['uri']+':'+str(l['location']['physicalLocation']['region']['startLine']), l['location'].get('message',{}).get('text','')) for l in locs]
        out.append((r,steps))
    return out
tests={
 'hid_hw_request in chain': lambda r,s: any('hid_hw_request' in m for _,m in s),
 'irdma utils.c:573 sink': lambda r,s: s[-2][0].endswith('irdma/utils.c:573'),
 'iwlegacy common.c:317 sink': lambda r,s: s[-2][0].endswith('iwlegacy/common.c:317'),
 'mwifiex (any)': lambda r,s: '/mwifiex/' in r['locations'][0]['physicalLocation']['artifactLocation']['uri'],
 'dma_free_coherent sink': lambda r,s: 'dma_free' in s[-2][1],
 'nvme core.c:181 sink': lambda r,s: s[-2][0].endswith('nvme/host/core.c:181'),
 'might_sleep sink': lambda r,s: s[-2][1].startswith('might_sleep'),
 'usb/core sink': lambda r,s: '/usb/core/' in s[-2][0],
 'in_interrupt() gfp ternary': lambda r,s: 'in_interrupt()' in s[-2][1],
 'r8188eu/rtl8723bs': lambda r,s: 'r8188eu' in r['locations'][0]['physicalLocation']['artifactLocation']['uri'] or 'rtl8723bs' in r['locations'][0]['physicalLocation']['artifactLocation']['uri'],
 'i915 (any)': lambda r,s: '/i915/' in r['locations'][0]['physicalLocation']['artifactLocation']['uri'],
}
files=sys.argv[1:]
data=[load(f) for f in files]
print('| cluster | '+' | '.join(files)+' |')
for name,t in tests.items():
    print('| '+name+' | '+' | '.join(str(sum(1 for r,s in d if t(r,s))) for d in data)+' |')
print('| all | '+' | '.join(str(len(d)) for d in data)+' |')
