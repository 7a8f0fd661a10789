"""Starting and stopping the agent's processes: Redis, the action server, Rasa, the app server.

Used by `intake run` and by the test fixtures, so tests exercise the same start-up path a
deployment uses. Each service logs to var/log/<name>.log.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

from actions.model_warmup import ENV as WARM_URGENCY_MODEL_ENV
from classifiers.dialogue_versions import DialogueVersions
from common.paths import PROJECT_ROOT, VAR_DIR, venv_bin
from common.yaml_file import deployment_settings

#: seconds after its start that the action server loads the urgency model (actions/model_warmup.py)
WARM_URGENCY_MODEL_AFTER_S = 20


@dataclass
class Ports:
    redis: int = int(os.environ.get("INTAKE_REDIS_PORT", "6379"))
    actions: int = int(os.environ.get("INTAKE_ACTIONS_PORT", "5055"))
    rasa: int = int(os.environ.get("INTAKE_RASA_PORT", "5005"))
    app: int = int(os.environ.get("INTAKE_APP_PORT", "8080"))


@dataclass
class Service:
    name: str
    command: List[str]
    health_url: Optional[str]
    port: int
    log_path: Path
    cwd: Path = PROJECT_ROOT
    extra_env: Dict[str, str] = field(default_factory=dict)
    process: Optional[subprocess.Popen] = None
    external: bool = False  # already running before us: never stopped by us


class ServiceError(RuntimeError):
    pass


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def _http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return resp.status == 200
    except OSError:
        return False


def configured_workers(key: str, env: str, default: str) -> int:
    """Sanic worker processes for a server: INTAKE_<NAME>_WORKERS, else settings/deployment.yml
    `workers:`; `auto` means one per CPU core. Several workers share the Redis lock store, so one
    conversation is still handled by one worker at a time."""
    value = str(os.environ.get(env) or (deployment_settings().get("workers") or {}).get(key, default)).strip()
    if value == "auto":
        return max(1, os.cpu_count() or 1)
    try:
        count = int(value)
    except ValueError:
        raise ServiceError(f"workers for {key} must be a number or 'auto', not {value!r} "
                           f"({env} or settings/deployment.yml workers.{key})") from None
    if count < 1:
        raise ServiceError(f"workers for {key} must be at least 1, not {count}")
    return count


def rasa_workers() -> int:
    return configured_workers("rasa", "INTAKE_RASA_WORKERS", "auto")


def action_workers() -> int:
    return configured_workers("actions", "INTAKE_ACTION_WORKERS", "1")


@dataclass
class Stack:
    ports: Ports = field(default_factory=Ports)
    var_dir: Path = VAR_DIR
    db_url: Optional[str] = None
    redis_db: int = 0
    services: Dict[str, Service] = field(default_factory=dict)

    def env(self) -> Dict[str, str]:
        env = dict(os.environ)
        env.update({
            "INTAKE_REDIS_HOST": "127.0.0.1", "INTAKE_REDIS_PORT": str(self.ports.redis),
            "INTAKE_REDIS_DB": str(self.redis_db),
            "INTAKE_ACTIONS_URL": f"http://127.0.0.1:{self.ports.actions}/webhook",
            "INTAKE_RASA_URL": f"http://127.0.0.1:{self.ports.rasa}",
            "INTAKE_DB_URL": self.db_url or f"sqlite:///{self.var_dir / 'tickets.db'}",
            "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2",
            "PYTHONUNBUFFERED": "1",
        })
        return env

    def _service(self, name: str) -> Service:
        log_dir = self.var_dir / "log"
        p = self.ports
        commands = {
            "redis": ([venv_bin("redis-server"), "--port", str(p.redis), "--bind", "127.0.0.1",
                       "--dir", str(self.var_dir / "redis"), "--appendonly", "yes", "--save", ""], None, p.redis),
            "actions": ([venv_bin("rasa"), "run", "actions", "--port", str(p.actions), "--actions", "actions"],
                        f"http://127.0.0.1:{p.actions}/health", p.actions),
            "rasa": ([sys.executable, "-m", "rasa_server", "run", "--enable-api", "--port", str(p.rasa),
                      "--model", str(DialogueVersions().model_path()), "--endpoints", "endpoints.yml",
                      "--credentials", "credentials.yml"],
                     f"http://127.0.0.1:{p.rasa}/status", p.rasa),
            "app": ([sys.executable, "-m", "appserver.app", "--port", str(p.app)],
                    f"http://127.0.0.1:{p.app}/healthz", p.app),
        }
        workers = {"rasa": rasa_workers, "actions": action_workers}
        command, health, port = commands[name]
        extra = {"SANIC_WORKERS": str(workers[name]())} if name in workers else {}
        if name == "actions":
            extra[WARM_URGENCY_MODEL_ENV] = str(WARM_URGENCY_MODEL_AFTER_S)
        return Service(name, command, health, port, log_dir / f"{name}.log", extra_env=extra)

    def start(self, name: str, timeout: float = 300) -> Service:
        return self.launch(self._service(name), timeout)

    def launch(self, service: Service, timeout: float = 300) -> Service:
        """Start a service (ours or, for benchmarks, another) and wait until it answers."""
        self._spawn(service)
        if service.process:
            self._wait_ready(service, timeout)
        return service

    def _spawn(self, service: Service) -> None:
        name = service.name
        (self.var_dir / "log").mkdir(parents=True, exist_ok=True)
        (self.var_dir / "redis").mkdir(parents=True, exist_ok=True)
        if port_open(service.port):
            if name == "redis":
                service.external = True
                self.services[name] = service
                return
            raise ServiceError(f"port {service.port} for {name} is already in use; choose another with --{name}-port")
        log = open(service.log_path, "ab")
        service.process = subprocess.Popen(service.command, cwd=service.cwd, env={**self.env(), **service.extra_env},
                                           stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.services[name] = service

    def _wait_ready(self, service: Service, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if service.process and service.process.poll() is not None:
                raise ServiceError(f"{service.name} exited with code {service.process.returncode}; "
                                   f"see {service.log_path}:\n{_tail(service.log_path)}")
            ready = _http_ok(service.health_url) if service.health_url else port_open(service.port)
            if ready:
                return
            time.sleep(0.1)  # Redis is up in ~50 ms: a coarse poll would hold up every service after it
        raise ServiceError(f"{service.name} not ready after {timeout:.0f} s; see {service.log_path}:\n"
                           f"{_tail(service.log_path)}")

    def start_all(self, timeout: float = 300) -> None:
        """Redis first, then the action server, app server and Rasa side by side: the first
        answer comes as soon as the slowest of them (Rasa) is ready, not after their sum."""
        self.start("redis", timeout)
        services = [self._service(name) for name in ("actions", "app", "rasa")]
        for service in services:
            self._spawn(service)
        for service in services:
            self._wait_ready(service, timeout)

    def stop(self, name: str, timeout: float = 20) -> None:
        service = self.services.pop(name, None)
        if not service or service.external or not service.process:
            return
        if service.process.poll() is None:
            os.killpg(service.process.pid, signal.SIGTERM)
            try:
                service.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(service.process.pid, signal.SIGKILL)
                service.process.wait()
        # a server's worker processes may still hold the port a moment after their parent exited
        deadline = time.monotonic() + timeout
        while port_open(service.port) and time.monotonic() < deadline:
            time.sleep(0.1)
        if port_open(service.port):
            try:
                os.killpg(service.process.pid, signal.SIGKILL)
            except ProcessLookupError:  # not ours any more: the next start says the port is taken
                pass

    def stop_all(self) -> None:
        """Ours in reverse start order, and anything else launched (a benchmark's reference bot)."""
        others = [name for name in self.services if name not in ("rasa", "app", "actions", "redis")]
        for name in (*others, "rasa", "app", "actions", "redis"):
            self.stop(name)

    def urls(self) -> Dict[str, str]:
        p = self.ports
        return {"web chat": f"http://127.0.0.1:{p.app}/",
                "Open311": f"http://127.0.0.1:{p.app}/open311/v2/services.json",
                "analyze": f"http://127.0.0.1:{p.app}/api/analyze",
                "SLA board": f"http://127.0.0.1:{p.app}/console/sla",
                "console": f"http://127.0.0.1:{p.app}/console",
                "Rasa REST": f"http://127.0.0.1:{p.rasa}/webhooks/rest/webhook",
                "WeChat webhook": f"http://127.0.0.1:{p.rasa}/webhooks/wechat/webhook",
                "voice webhook": f"http://127.0.0.1:{p.rasa}/webhooks/voice/webhook",
                "action server": f"http://127.0.0.1:{p.actions}/health",
                "Redis": f"redis://127.0.0.1:{p.redis}/{self.redis_db}"}


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"
