"""Trainer tools in the console: the problem-type model's versions (classifiers/registry.py),
training a new one from training_data/ in a process of its own with its progress, comparing
versions on a labelled file the trainer uploads (F1 per class side by side, confusion matrices),
activating one or rolling back — running services follow with their next message; and the same
for Rasa's dialogue model (intents and policies: classifiers/dialogue_versions.py), which every
Rasa worker swaps in within seconds of its activation.

GET /api/console/models; POST /api/console/models/train, GET /api/console/models/train (progress,
either model); POST /api/console/models/compare (multipart: test, versions);
POST /api/console/models/{version}/activate; POST /api/console/models/rollback;
GET /console/models/reports/{name} (the comparison's pictures); POST /api/console/models/validate
(`rasa data validate` on training_data/ and bot/, after accepting corrections and before training);
POST /api/console/models/dialogue/train, …/dialogue/compare (multipart: test as Rasa NLU YAML,
versions), …/dialogue/{version}/activate, …/dialogue/rollback; page /console/models.
"""
from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
import shutil
import sys
import time
import uuid
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple, Union

from aiohttp import web

from appserver.console_auth import account_of
from appserver.errors import json_error
from appserver.uploads import UploadTooLarge, drain, read_limited
from classifiers.compare import compare_versions
from classifiers.datasets import DatasetError
from classifiers.dialogue_versions import DIALOGUE_DIR, DialogueVersions
from classifiers.rasa_data import rasa_inputs_fingerprint, rasa_train_command, validate_rasa_data
from classifiers.registry import Registry, RegistryError
from classifiers.versions import Evaluation, VersionStore
from common import clock
from common.json_body import dumps
from common.paths import VAR_DIR

REPORTS = VAR_DIR / "model-reports"
MAX_TEST_FILE = 20 * 1024 * 1024
KEEP_REPORTS = 30  # comparisons (and the test files uploaded for them) kept; older ones are deleted
STEP = re.compile(r"^step (\d+)/(\d+)$")


def _registry() -> Registry:
    return Registry()


async def list_models(request: web.Request) -> web.Response:
    registry, dialogue = _registry(), DialogueVersions()
    return web.json_response({"active": registry.active(), "versions": [json.loads(v.json()) for v in registry.versions()],
                              "dialogue": {"active": dialogue.active(),
                                           "versions": [json.loads(v.json()) for v in dialogue.versions()]},
                              "training": request.app.get("training_job")}, dumps=dumps)


async def _run_training(app: web.Application, job: Dict[str, Any], command: List[str]) -> None:
    """One training in a process of its own at a lower priority (conversations come first: the
    scheduler gives the servers the CPU they ask for, the training takes what is left). Its
    `step i/n` lines are the progress, a JSON line its result (the problem-type model); the
    dialogue model's result is the archive it wrote."""
    process = await asyncio.create_subprocess_exec(*command, stdout=asyncio.subprocess.PIPE,
                                                   stderr=asyncio.subprocess.STDOUT, preexec_fn=lambda: os.nice(10))
    last = ""
    async for raw in process.stdout:
        line = raw.decode(errors="replace").strip()
        step = STEP.match(line)
        if step:
            job["step"], job["total"] = int(step.group(1)), int(step.group(2))
        elif line.startswith("{"):
            job["result"] = json.loads(line)
        elif line:
            last = line
    code = await process.wait()
    if code == 0 and job["model"] == "dialogue":
        made = DialogueVersions().adopt_trained(job["by"], job.get("data_fingerprint"))
        job["result"] = {"version": made.version if made else None, "seconds": time.time() - job["started_at"]}
    job["state"] = "done" if code == 0 and job.get("result") else "failed"
    job["finished_at"] = time.time()
    if job["state"] == "failed":
        job["error"] = last[-500:] or f"exit code {code}"
    app["audit"].record(job["by"], "model_train", (job.get("result") or {}).get("version"), state=job["state"],
                        model=job["model"])


def _start_training(request: web.Request, model: str, command: List[str]) -> web.Response:
    """One training at a time, of either model (each takes the CPU a conversation also needs)."""
    running = request.app.get("training_job")
    if running and running["state"] == "running":
        return json_error(409, f"{running['by']}发起的训练正在进行（{running['step']}/{running['total']}），请等它结束")
    job = {"id": uuid.uuid4().hex[:8], "model": model, "by": account_of(request).username, "state": "running",
           "step": 0, "total": 0, "started_at": time.time()}
    request.app["training_job"] = job
    request.app["training_task"] = asyncio.get_running_loop().create_task(_run_training(request.app, job, command))
    return web.json_response(job, status=202)


async def train(request: web.Request) -> web.Response:
    who = account_of(request).username
    return _start_training(request, "problem_type", [sys.executable, "-m", "classifiers.train_version", "--by", who])


async def train_dialogue(request: web.Request) -> web.Response:
    answer = _start_training(request, "dialogue", rasa_train_command(DIALOGUE_DIR))
    if answer.status == 202:  # what it is trained from, kept with the version it makes
        request.app["training_job"]["data_fingerprint"] = rasa_inputs_fingerprint()
    return answer


async def training_progress(request: web.Request) -> web.Response:
    return web.json_response(request.app.get("training_job") or {"state": "none"})


async def _comparison_upload(request: web.Request, suffixes: Tuple[str, ...], what: str,
                             store: VersionStore) -> Union[web.Response, Tuple[Path, List[str], str]]:
    """multipart: `test` (a labelled file, kept under var/model-reports) and `versions`
    (comma-separated; default the active one and the newest of ``store``) → the saved file, the
    versions chosen and a name for the report; an error answer when the upload is not that."""
    if not request.content_type.startswith("multipart/"):
        return json_error(400, f"send multipart/form-data with a 'test' file ({what})")
    saved: Optional[Path] = None
    versions = ""
    try:
        async for part in await request.multipart():
            if part.name == "versions":
                versions = (await part.text()).strip()
            elif part.name == "test":
                suffix = Path(part.filename or "test").suffix.lower()
                if suffix not in suffixes:
                    await drain(request)
                    return json_error(415, f"the test file must be {' or '.join(suffixes)}")
                data = await read_limited(part, MAX_TEST_FILE)
                REPORTS.mkdir(parents=True, exist_ok=True)
                stem = re.sub(r"[^\w.-]", "_", Path(part.filename or "test").stem)[:60]
                saved = REPORTS / f"{stem}-{uuid.uuid4().hex[:8]}{suffix}"  # the trainer's name, made unique
                saved.write_bytes(data)
    except UploadTooLarge:
        await drain(request)
        return json_error(413, f"the test file is larger than {MAX_TEST_FILE // (1024 * 1024)} MB")
    except ValueError as exc:  # a malformed multipart body
        return json_error(400, f"malformed multipart body: {exc}")
    if saved is None:
        return json_error(400, "a 'test' file is required")
    chosen = [v.strip() for v in versions.split(",") if v.strip()] or store.default_comparison()
    return saved, chosen, f"compare-{uuid.uuid4().hex[:8]}"


async def compare(request: web.Request) -> web.Response:
    """multipart: `test` (a labelled CSV/xlsx: title, text, label) and `versions` (comma-separated;
    default the active one and the newest)."""
    registry = _registry()
    upload = await _comparison_upload(request, (".csv", ".xlsx"), "CSV or xlsx: title, text, label", registry)
    if isinstance(upload, web.Response):
        return upload
    saved, chosen, name = upload
    try:
        report = await asyncio.get_running_loop().run_in_executor(
            None, compare_versions, registry, chosen, saved, REPORTS / name)
    except (DatasetError, RegistryError) as exc:
        return json_error(422, str(exc))
    return _compared(request, report, name, chosen)


async def compare_dialogue(request: web.Request) -> web.Response:
    """multipart: `test` (Rasa NLU YAML with intent examples none of the versions trained on) and
    `versions`: each archive reads every example in a process of its own; per-intent F1 side by
    side and a confusion matrix per version, as for the problem-type model."""
    store = DialogueVersions()
    upload = await _comparison_upload(request, (".yml", ".yaml"), "Rasa NLU YAML with `- intent:` blocks", store)
    if isinstance(upload, web.Response):
        return upload
    saved, chosen, name = upload
    missing = [v for v in chosen if not store.usable(v)]
    if missing:
        return json_error(422, f"no dialogue version {', '.join(missing)}")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "classifiers.intent_eval", "--test", str(saved), "--out", str(REPORTS / name),
        *[str(store.path(v)) for v in chosen], stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        preexec_fn=lambda: os.nice(10))
    out, err = await process.communicate()
    if process.returncode != 0:
        said = err.decode(errors="replace").strip().splitlines()
        return json_error(422 if process.returncode == 2 else 500,
                          (said[-1] if said else f"exit code {process.returncode}").removeprefix("error: "))
    report = json.loads(out.decode().strip().splitlines()[-1])
    fingerprint = hashlib.sha256(saved.read_bytes()).hexdigest()
    for result in report["results"]:  # kept with each version, as the problem-type comparisons are
        store.record_evaluation(result["model"], Evaluation(
            test_file=str(saved), test_fingerprint=fingerprint, messages=report["messages"],
            accuracy=result["accuracy"], macro_f1=result["macro_f1"], at=clock.now()))
    return _compared(request, report, name, chosen)


def _compared(request: web.Request, report: Dict[str, Any], name: str, chosen: List[str]) -> web.Response:
    _prune_reports()
    pictures = [f"/console/models/reports/{name}/confusion_{v}.png" for v in chosen]
    request.app["audit"].record(account_of(request).username, "model_compare", name, versions=chosen)
    return web.json_response({**report, "pictures": pictures}, dumps=dumps)


def _prune_reports() -> None:
    """The newest KEEP_REPORTS comparisons and uploaded test files stay; a trainer's older ones go."""
    for pattern in ("compare-*", "*.csv", "*.xlsx"):
        found = sorted(REPORTS.glob(pattern), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in found[KEEP_REPORTS:]:
            if old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
            else:
                old.unlink(missing_ok=True)


async def report_file(request: web.Request) -> web.StreamResponse:
    name, file = request.match_info["name"], request.match_info["file"]
    path = REPORTS / name / file
    if not re.fullmatch(r"compare-[0-9a-f]{8}", name) or not re.fullmatch(r"confusion_[\w.-]+\.png", file) or not path.exists():
        raise web.HTTPNotFound()
    return web.FileResponse(path)


def _store(request: web.Request) -> VersionStore:
    return DialogueVersions() if request.match_info.get("model") == "dialogue" else _registry()


async def activate(request: web.Request) -> web.Response:
    who = account_of(request).username
    try:
        made = _store(request).activate(request.match_info["version"], who)
    except RegistryError as exc:
        return json_error(404, str(exc))
    request.app["audit"].record(who, "model_activate", made.version)
    return web.json_response({"active": made.version})


async def rollback(request: web.Request) -> web.Response:
    who = account_of(request).username
    try:
        made = _store(request).rollback(who)
    except RegistryError as exc:
        return json_error(409, str(exc))
    request.app["audit"].record(who, "model_rollback", made.version)
    return web.json_response({"active": made.version})


async def validate(request: web.Request) -> web.Response:
    """Rasa's own check of everything `rasa train` reads, run in a thread (10–20 s); one at a time."""
    who = account_of(request).username
    running = request.app.get("validation_by")
    if running:
        return json_error(409, f"{running}发起的训练数据校验正在进行，请稍候")
    request.app["validation_by"] = who
    try:
        result = await asyncio.get_running_loop().run_in_executor(None, validate_rasa_data)
    finally:
        request.app["validation_by"] = None
    request.app["audit"].record(who, "data_validate", None, ok=result.ok, warnings=len(result.warnings),
                                errors=len(result.errors))
    return web.json_response(json.loads(result.json()))


async def models_page(request: web.Request) -> web.FileResponse:
    return web.FileResponse(request.app["console_static"] / "models.html")


ROUTES = [web.get("/api/console/models", list_models), web.post("/api/console/models/train", train),
          web.get("/api/console/models/train", training_progress), web.post("/api/console/models/compare", compare),
          web.post("/api/console/models/rollback", rollback), web.post("/api/console/models/validate", validate),
          web.post("/api/console/models/dialogue/train", train_dialogue),
          web.post("/api/console/models/dialogue/compare", compare_dialogue),
          web.post("/api/console/models/{model:dialogue}/rollback", rollback),
          web.post("/api/console/models/{model:dialogue}/{version}/activate", activate),
          web.post("/api/console/models/{version}/activate", activate),
          web.get("/console/models/reports/{name}/{file}", report_file), web.get("/console/models", models_page)]
