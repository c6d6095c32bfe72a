"""The proxy under load on loopback: throughput and latency, against calling its upstream directly.

    python -m benchmarks.proxy                       # 32 concurrent, 3000 requests per run
    python -m benchmarks.proxy --concurrency 8 --requests 500
    python -m benchmarks.proxy --proxy-command "python -m some.other.proxy --port {port} --upstream {upstream}"

Three processes: a fake Cohere v2 upstream (a bare asyncio HTTP/1.1 server answering every
POST with the same 20 results, so that it costs as little as possible), the proxy
(`rerank-formats serve`, Jina to Cohere v2, uvicorn's access log off), and this load
generator: `--concurrency` clients, each on its own keep-alive connection, sending requests
back to back until `--requests` have been answered, after `--warmup` unmeasured ones. Every
answer must be a 200. The direct run sends the Cohere v2 body the proxy would send straight to
the upstream. The last column is the CPU time (user and system) the server process used per
request: the upstream's for the direct run, the proxy's for the other; unlike the rates, it
hardly depends on what else the machine is doing. Everything stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shlex
import socket
import statistics
import subprocess
import sys
import time

DOCUMENTS = [f"document {i}: " + "lorem ipsum dolor sit amet " * 7 for i in range(20)]
JINA_REQUEST = {
    "model": "rerank-v3.5",
    "query": "what is ipsum?",
    "documents": DOCUMENTS,
    "top_n": 5,
}
COHERE_REQUEST = {
    "model": "rerank-v3.5",
    "query": "what is ipsum?",
    "documents": DOCUMENTS,
    "top_n": 5,
}
COHERE_ANSWER = json.dumps(
    {
        "id": "bench",
        "results": [{"index": i, "relevance_score": 1 - i / 20} for i in range(20)],
        "meta": {"api_version": {"version": "2"}, "billed_units": {"search_units": 1}},
    }
).encode()


# -- the fake upstream -------------------------------------------------------------------------


async def _answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    head = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n"
    response = head % len(COHERE_ANSWER) + COHERE_ANSWER
    try:
        while True:
            headers = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in headers.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            await reader.readexactly(length)
            writer.write(response)
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def _upstream(port: int) -> None:
    server = await asyncio.start_server(_answer, "127.0.0.1", port, backlog=1024)
    async with server:
        await server.serve_forever()


# -- the load generator ------------------------------------------------------------------------


async def _client(port: int, request: bytes, count: list[int], latencies: list[float]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while count[0] > 0:
            count[0] -= 1
            started = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = head.split(b" ", 2)[1]
            length = next(
                int(line.split(b":", 1)[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            )
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            if status != b"200":
                raise RuntimeError(f"answered {status.decode()}")
    finally:
        writer.close()


async def _load(
    port: int, path: str, body: dict[str, object], total: int, concurrency: int
) -> list[float]:
    data = json.dumps(body).encode()
    request = (
        f"POST {path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n"
        f"content-length: {len(data)}\r\n\r\n"
    ).encode() + data
    latencies: list[float] = []
    await asyncio.gather(
        *(_client(port, request, [total // concurrency], latencies) for _ in range(concurrency))
    )
    return latencies


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used so far (Linux)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _measure(
    port: int, path: str, body: dict[str, object], args: argparse.Namespace, server: int
) -> tuple[float, list[float], float]:
    """Requests per second, the latencies, and the CPU time `server` used per request."""
    asyncio.run(_load(port, path, body, args.warmup, args.concurrency))
    cpu = _cpu_seconds(server)
    started = time.perf_counter()
    latencies = asyncio.run(_load(port, path, body, args.requests, args.concurrency))
    elapsed = time.perf_counter() - started
    return len(latencies) / elapsed, latencies, (_cpu_seconds(server) - cpu) / len(latencies)


# -- processes ---------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port}")


def _start(command: list[str], port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait_for(port, process)
    return process


def _row(name: str, rate: float, latencies: list[float], cpu: float) -> str:
    cuts = statistics.quantiles(latencies, n=100)
    return (
        f"| {name} | {rate:,.0f} | {cuts[49] * 1000:.1f} ms | {cuts[98] * 1000:.1f} ms"
        f" | {cpu * 1000:.2f} ms |"
    )


def main() -> None:
    """Run the benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--warmup", type=int, default=320)
    parser.add_argument(
        "--proxy-command", help="another proxy; {port} and {upstream} are filled in"
    )
    parser.add_argument("--upstream-port", type=int, help=argparse.SUPPRESS)  # the fake upstream
    args = parser.parse_args()
    if args.upstream_port:
        asyncio.run(_upstream(args.upstream_port))
        return
    upstream_port, proxy_port = _free_port(), _free_port()
    upstream_url = f"http://127.0.0.1:{upstream_port}"
    upstream = _start(
        [sys.executable, "-m", "benchmarks.proxy", "--upstream-port", str(upstream_port)],
        upstream_port,
    )
    serve = [
        sys.executable, "-m", "rerank_formats", "serve", "--upstream-url", upstream_url,
        "--upstream-format", "cohere_v2", "--port", str(proxy_port), "--log-level", "warning",
    ]  # fmt: skip
    if args.proxy_command:
        serve = shlex.split(args.proxy_command.format(port=proxy_port, upstream=upstream_url))
    proxy = _start(serve, proxy_port)
    try:
        direct = _measure(upstream_port, "/v2/rerank", COHERE_REQUEST, args, upstream.pid)
        through = _measure(proxy_port, "/jina/v1/rerank", JINA_REQUEST, args, proxy.pid)
    finally:
        for process in (proxy, upstream):
            process.terminate()
            process.wait(10)
    print(
        f"{args.concurrency} concurrent clients, {args.requests} requests, on {os.cpu_count()} CPUs\n"
    )
    print("| path | requests/s | p50 | p99 | server CPU per request |")
    print("| --- | ---: | ---: | ---: | ---: |")
    print(_row("direct to the fake upstream", *direct))
    print(_row("through the proxy (Jina to Cohere v2)", *through))


if __name__ == "__main__":
    main()
