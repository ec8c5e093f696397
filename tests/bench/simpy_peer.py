#!/usr/bin/python3
"""simpy_peer.py - the bench_queue arrival process in SimPy, as a reference point.

Poisson arrivals (default 50/s); each arrival starts a process per customer that holds for an
exponential service time (default mean 2 s, as in bench_queue) and ends. Runs on SimPy 2.3.1 as
Debian ships it (python3-simpy, `from SimPy.Simulation import ...`) and on SimPy 3/4 (`import
simpy`) when that is installed. Python is slow, so the default is 1 simulated hour; rates do not
depend on the duration. "events" counts arrivals plus departures, as bench_queue does; the
scheduler steps SimPy itself performs per arrival (3 in SimPy 2, 4 in SimPy 3+) are shown too.
The last line is machine-readable.
"""
import argparse
import random
import sys
import time


def run_simpy2(rate, service_mean, horizon, seed):
    """SimPy 2.x object-oriented API. Returns (arrivals, departures, scheduler_steps)."""
    from SimPy.Simulation import Process, Simulation, hold

    sim = Simulation()
    sim.initialize()
    rng = random.Random(seed)
    counts = {"arrivals": 0, "departures": 0}

    class Customer(Process):
        def run(self, service):
            yield hold, self, service
            counts["departures"] += 1

    class Source(Process):
        def run(self):
            while True:
                gap = rng.expovariate(rate)
                if sim.now() + gap > horizon:
                    return
                yield hold, self, gap
                counts["arrivals"] += 1
                c = Customer(sim=sim)
                sim.activate(c, c.run(rng.expovariate(1.0 / service_mean)))

    src = Source(sim=sim)
    sim.activate(src, src.run())
    sim.simulate(until=float("inf"))
    a = counts["arrivals"]
    # Source start and one resume per arrival; per customer a start and an end.
    return a, counts["departures"], 1 + a + 2 * a


def run_simpy3(rate, service_mean, horizon, seed):
    """SimPy 3/4 API. Returns (arrivals, departures, scheduler_steps)."""
    import simpy

    env = simpy.Environment()
    rng = random.Random(seed)
    counts = {"arrivals": 0, "departures": 0}

    def customer(env, service):
        yield env.timeout(service)
        counts["departures"] += 1

    def source(env):
        while True:
            gap = rng.expovariate(rate)
            if env.now + gap > horizon:
                return
            yield env.timeout(gap)
            counts["arrivals"] += 1
            env.process(customer(env, rng.expovariate(1.0 / service_mean)))

    env.process(source(env))
    env.run()
    a = counts["arrivals"]
    # Source: Initialize, one Timeout per arrival, its end. Customer: Initialize, Timeout, end.
    return a, counts["departures"], 2 + a + 3 * a


def pick_api(wanted):
    """Returns (name, runner) for the requested API, or the first importable one."""
    if wanted in ("auto", "simpy3"):
        try:
            import simpy

            return "simpy %s (SimPy 3+ API)" % getattr(simpy, "__version__", "?"), run_simpy3
        except ImportError:
            if wanted == "simpy3":
                raise
    import SimPy

    version = getattr(SimPy, "__version__", "2.x")
    return "SimPy %s (SimPy 2 API)" % version, run_simpy2


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("hours", nargs="?", type=float, default=1.0, help="simulated hours (1)")
    ap.add_argument("--rate", type=float, default=50.0, help="arrivals per second (50)")
    ap.add_argument("--service", type=float, default=2.0, help="mean service time, s (2)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--repeats", type=int, default=1, help="runs; the median is reported")
    ap.add_argument("--api", choices=("auto", "simpy2", "simpy3"), default="auto")
    args = ap.parse_args()
    if args.hours <= 0 or args.rate <= 0 or args.service < 0 or args.repeats < 1:
        ap.error("hours and rate must be positive, service >= 0, repeats >= 1")

    try:
        name, runner = pick_api(args.api)
    except ImportError as err:
        hint = "pip install simpy" if args.api == "simpy3" else "apt install python3-simpy"
        sys.exit("simpy_peer: %s (%s)" % (err, hint))
    horizon = args.hours * 3600.0
    print("simpy_peer: %s, python %s, seed=%d rate=%g/s service_mean=%gs hours=%g"
          % (name, sys.version.split()[0], args.seed, args.rate, args.service, args.hours))
    print("%-6s %10s %10s %10s %9s %12s %12s %12s"
          % ("run", "arrivals", "events", "sched", "wall_s", "events/s", "arrivals/s", "sched/s"))
    ev_rates, ar_rates = [], []
    for i in range(args.repeats):
        t0 = time.perf_counter()
        arrivals, departures, steps = runner(args.rate, args.service, horizon, args.seed)
        wall = time.perf_counter() - t0
        events = arrivals + departures
        ev_rates.append(events / wall)
        ar_rates.append(arrivals / wall)
        print("%-6s %10d %10d %10d %9.3f %12.0f %12.0f %12.0f"
              % ("run%d" % (i + 1), arrivals, events, steps, wall, events / wall,
                 arrivals / wall, steps / wall))
    ev_rates.sort()
    ar_rates.sort()
    mid = len(ev_rates) // 2
    print("events = arrivals + departures (as in bench_queue); sched = SimPy scheduler steps")
    print("simpy_arrivals_per_s=%.0f simpy_events_per_s=%.0f" % (ar_rates[mid], ev_rates[mid]))


if __name__ == "__main__":
    main()
