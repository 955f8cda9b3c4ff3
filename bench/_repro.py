import time, requests, threading
from concurrent.futures import ThreadPoolExecutor
from bench import stack, mixed, wrk
env = stack.environment(stack.database("bench"))
stack.manage(env, "migrate", "--no-input", "-v0")
fixtures = stack.fixtures(env)
with stack.server(env, log="repro") as (base, _):
    post = mixed.partner(base, fixtures)
    wrk.run_mix(base, mixed.PAGES, seconds=2, connections=2)
    pool = ThreadPoolExecutor(8)
    def get(p):
        t = time.perf_counter(); r = requests.get(base + p, timeout=30)
        return p, r.headers.get("X-Cache"), round((time.perf_counter()-t)*1000)
    for i in range(6):
        post()
        res = list(pool.map(get, mixed.PAGES + mixed.PAGES))
        slow = [r for r in res if r[2] > 200]
        print(i, sorted(set(r[1] for r in res)), slow, flush=True)
