"""The churn scenario (scenarios/churn.yaml) as a SimPy model, for the `whole-run` bench suite.

Poisson arrivals at 1,000 pods/s for 1,000 s, exponential lifetimes (mean 1,000 s), 3,000 nodes of 250 pod slots,
a sample of the addresses in use every minute, run to 20 minutes: the same churn cnisim's overlay run simulates.
Each pod is a SimPy process (arrive, take a node's free address, hold for its lifetime, give it back), the way a
SimPy user writes it. Nodes are chosen round robin among nodes with room (simpler and cheaper than cnisim's spread
placement, so the comparison flatters SimPy). Runs on SimPy 3/4 (`import simpy`, pip) or, without it, on the
SimPy 2.3 API Debian ships (python3-simpy: `SimPy.Simulation`); prints one JSON line: the API used, arrivals,
departures, peak pods, wall seconds. (Only the SimPy 2.3 path has been run here: pip is not reachable on the
machine the figures in bench/README.md come from.)

    python3 bench/simpy_churn.py [ARRIVAL_SECONDS]   (default 1000)
"""
import json
import random
import sys
import time

try:
    import simpy
    API = "simpy " + simpy.__version__
except ImportError:
    simpy = None
    from SimPy.Simulation import Process, Simulation, hold
    API = "SimPy.Simulation 2"

RATE = 1000.0          # pods per second
LIFETIME = 1000.0      # mean lifetime, seconds
NODES = 3000
MAX_PODS = 250
SAMPLE_EVERY = 60.0
DURATION = 1200.0      # 20 minutes


class Cluster:
    def __init__(self):
        self.free = [list(range(MAX_PODS)) for _ in range(NODES)]  # each node's free addresses (slot numbers)
        self.cursor = 0
        self.live = 0
        self.peak = 0
        self.arrivals = 0
        self.departures = 0
        self.unschedulable = 0
        self.samples = []

    def take(self):
        for _ in range(NODES):
            n = self.cursor
            self.cursor = (n + 1) % NODES
            if self.free[n]:
                return n, self.free[n].pop()
        return -1, -1


if simpy is None:
    class Pod(Process):
        def life(self, cluster, lifetime):
            node, addr = cluster.take()
            if node < 0:
                cluster.unschedulable += 1
                return
            cluster.live += 1
            cluster.peak = max(cluster.peak, cluster.live)
            yield hold, self, lifetime
            cluster.free[node].append(addr)
            cluster.live -= 1
            cluster.departures += 1


    class Source(Process):
        def generate(self, cluster, until, rng):
            while True:
                gap = rng.expovariate(RATE)
                if self.sim.now() + gap >= until:
                    return
                yield hold, self, gap
                cluster.arrivals += 1
                pod = Pod(sim=self.sim)
                self.sim.activate(pod, pod.life(cluster, rng.expovariate(1.0 / LIFETIME)))


    class Sampler(Process):
        def sample(self, cluster):
            while True:
                cluster.samples.append(cluster.live)
                yield hold, self, SAMPLE_EVERY


def run_simpy3(cluster, arrive_for, rng):
    env = simpy.Environment()

    def pod(lifetime):
        node, addr = cluster.take()
        if node < 0:
            cluster.unschedulable += 1
            return
        cluster.live += 1
        cluster.peak = max(cluster.peak, cluster.live)
        yield env.timeout(lifetime)
        cluster.free[node].append(addr)
        cluster.live -= 1
        cluster.departures += 1

    def source():
        while True:
            gap = rng.expovariate(RATE)
            if env.now + gap >= arrive_for:
                return
            yield env.timeout(gap)
            cluster.arrivals += 1
            env.process(pod(rng.expovariate(1.0 / LIFETIME)))

    def sampler():
        while True:
            cluster.samples.append(cluster.live)
            yield env.timeout(SAMPLE_EVERY)

    env.process(source())
    env.process(sampler())
    env.run(until=DURATION * arrive_for / 1000.0)


def run_simpy2(cluster, arrive_for, rng):
    sim = Simulation()
    sim.initialize()
    src = Source(sim=sim)
    sim.activate(src, src.generate(cluster, arrive_for, rng))
    smp = Sampler(sim=sim)
    sim.activate(smp, smp.sample(cluster))
    sim.simulate(until=DURATION * arrive_for / 1000.0)


def main():
    arrive_for = float(sys.argv[1]) if len(sys.argv) > 1 else 1000.0
    t0 = time.perf_counter()
    cluster = Cluster()
    rng = random.Random(3)
    (run_simpy2 if simpy is None else run_simpy3)(cluster, arrive_for, rng)
    wall = time.perf_counter() - t0
    print(json.dumps({"api": API, "arrivals": cluster.arrivals, "departures": cluster.departures, "peak": cluster.peak,
                      "unschedulable": cluster.unschedulable, "samples": len(cluster.samples), "wallS": wall}))


if __name__ == "__main__":
    main()
