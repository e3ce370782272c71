"""Suricata eve JSON lines of DNS queries, for the JSON-lines benchmark in
BENCHMARKS.md (issue 17). usage: python3 benches/gen_eve.py OUT LINES"""
import json, random, sys
random.seed(7)
n=int(sys.argv[2])
with open(sys.argv[1],'w') as f:
    for i in range(n):
        host = f"host{random.randrange(100000)}.example{random.randrange(50)}.com"
        rec = {"timestamp":"2026-11-30T10:15:%02d.%06d+0000" % (i%60, i%1000000),"flow_id":random.randrange(1<<50),"in_iface":"eth0","event_type":"dns","src_ip":"10.0.%d.%d"%(i%250,i%200),"src_port":53000+i%1000,"dest_ip":"10.0.0.53","dest_port":53,"proto":"UDP","dns":{"type":"query","id":i%65535,"rrname":host,"rrtype":"A","tx_id":0}}
        f.write(json.dumps(rec, separators=(",",":"))+"\n")
