import threading
from bench import stack, mixed, wrk
env = stack.environment(stack.database("bench"))
fixtures = stack.fixtures(env)
with stack.server(env, log="repro2") as (base, _):
    wrk.run_mix(base, mixed.PAGES, seconds=2, connections=2)
    stop, posted = threading.Event(), []
    th = threading.Thread(target=mixed.writer, args=(base, fixtures, stop, posted), daemon=True); th.start()
    print(wrk.run_mix(base, mixed.PAGES, seconds=30, connections=8))
    stop.set(); th.join(30)
