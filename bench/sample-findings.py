#!/usr/bin/env python3
# Draws a random sample of atomic-context findings of one SARIF level for review (docs/evaluation.md):
#   bench/sample-findings.py SARIF SEED N LEVEL PREFIX OUT
# LEVEL error: the certain class (what the default gate fails on); note: the conditional class.
import json, random, sys
sarif, seed, n, level, prefix, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6]
ATOMIC = {'sleep-in-atomic', 'sleeping-alloc-in-atomic', 'vmalloc-in-atomic'}
d = json.load(open(sarif))
res = [r for r in d['runs'][0]['results'] if r['level'] == level and r['ruleId'] in ATOMIC]
def key(r):
    p = r['locations'][0]['physicalLocation']
    return (p['artifactLocation']['uri'], p['region']['startLine'], r['ruleId'], r['message']['text'])
res.sort(key=key)
random.seed(seed)
pick = random.sample(range(len(res)), min(n, len(res)))
with open(out, 'w') as f:
    f.write(f"# Random sample (seed {seed}) of {len(pick)} of the {len(res)} atomic-context {level} findings in {sarif}\n\n")
    for i, idx in enumerate(pick, 1):
        r = res[idx]
        p = r['locations'][0]['physicalLocation']
        f.write(f"## {prefix}{i}: {p['artifactLocation']['uri']}:{p['region']['startLine']} [{r['ruleId']}]\n")
        f.write(r['message']['text'] + "\n")
        for l in r['codeFlows'][0]['threadFlows'][0]['locations']:
            q = l['location']['physicalLocation']
            f.write(f"  - {q['artifactLocation']['uri']}:{q['region']['startLine']}: {l['location'].get('message',{}).get('text','')}\n")
        f.write("\n")
print(len(res), level, "findings; sample of", len(pick), "written to", out)
