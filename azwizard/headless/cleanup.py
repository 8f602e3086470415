"""``azwizard cleanup list`` and ``azwizard cleanup delete``: the cleanup engine (``azwizard/cleanup``) with
the cleanup screen's safety rules. ``delete`` is a dry run unless ``--yes``; deleting a whole resource
group (``--group``) also needs the group's name typed back with ``--confirm-group``; blockers (locks,
backup items, resources still in use) are explained, never forced."""

from __future__ import annotations

import json
import threading
from typing import TYPE_CHECKING, Any

from ..exitcodes import EXIT_AZURE, EXIT_BUSY, EXIT_FINDINGS, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE
from .common import CommandError, Connection, err, out
from .progress import Progress

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..cleanup import Cost, DeleteEvent, DeletionPlan, DeletionResult, Inventory, InventoryItem
    from ..cleanup.kubetidy import KubeTidy
    from ..pricing.book import PriceBook
    from ..pricing.spend import Spend


def inventory(conn: Connection) -> Inventory:
    from ..azure.errors import AzwizardError
    from ..cleanup import build_inventory

    assert conn.session is not None
    try:
        return build_inventory(conn.session.factory, cloud=conn.session.cloud)
    except AzwizardError as e:
        raise CommandError(e.what, EXIT_AZURE, e.fix) from e


def _age(item: InventoryItem) -> str:
    age = item.age()
    if age is None:
        return "?"
    s = int(age.total_seconds())
    if s < 3600:
        return f"{s // 60} min"
    if s < 86400:
        return f"{s // 3600} h"
    return f"{s // 86400} d"


def item_dict(item: InventoryItem, spend: Spend | None = None, inv: Inventory | None = None) -> dict[str, Any]:
    """One resource: what it is, its estimate (with the prices' currency, date and source: its region's book,
    from ``inv``) and, with ``spend``, what it has cost so far."""
    cost = item.cost
    out = {
        "id": item.id, "type": item.type, "name": item.name, "resource_group": item.resource_group,
        "location": item.location, "run_id": item.run_id, "journey": item.journey, "created": item.created,
        "state": item.state, "exists": item.exists, "source": item.source, "foreign": item.foreign,
        "node_group_of": item.node_group_of, "note": item.note, "identity": item.identity,
        "cost": None if cost is None else _cost_dict(cost, [] if inv is None else _item_books(inv, item)),
        "details": {k: v for k, v in item.details},
    }
    if spend is not None:
        out["spent"] = spend.for_resource(item.id)
    return out


def _item_books(inv: Inventory, item: InventoryItem) -> list[PriceBook]:
    """Its region's book (a free resource's too, when its region was priced), else what priced it."""
    book = inv.book_for(item)
    return [book] if book is not None else inv.books([item])


def _cost_dict(cost: Cost, books: Sequence[PriceBook]) -> dict[str, Any]:
    """An estimate and where its prices come from: ``price_date`` the oldest of ``books``' dates (one book
    each region), ``price_source`` the weakest (``table`` marks the dated fallback), ``prices`` their labels;
    all None when nothing of it is priced (free resources)."""
    rank = {"live": 0, "cache": 1, "table": 2}
    return {"hourly": cost.hourly, "monthly": cost.monthly, "text": cost.describe(), "currency": cost.currency,
            "price_date": min((b.as_of for b in books), default=None),
            "price_source": max((b.source for b in books), key=rank.__getitem__, default=None),
            "prices": "; ".join(b.label() for b in books) or None}


def _book_dict(book: PriceBook) -> dict[str, Any]:
    return {"region": book.region, "currency": book.currency, "price_date": book.as_of, "price_source": book.source,
            "fallback": book.is_fallback, "label": book.label()}


def list_command(conn: Connection, fmt: str) -> int:
    from ..cleanup.costs import total
    from ..cleanup.runs import run_name
    from ..pricing.spend import read_spend_within, run_created, spent_sentence

    inv = inventory(conn)
    assert conn.session is not None
    spend = read_spend_within(conn.session.factory, run_created(inv.items)) if inv.runs() else None
    if fmt == "json":
        by_run = inv.by_run()
        data = {
            "subscription_id": inv.subscription_id, "taken_at": inv.taken_at, "runs": inv.runs(),
            "prices": [_book_dict(b) for b in inv.books()],
            "run_costs": {run: {"estimate": _cost_dict(total(it.cost for it in by_run.get(run, []) if it.exists),
                                                       inv.books(by_run.get(run, []))),
                                "spent": spend.for_run(run) if spend is not None else None}
                          for run in inv.runs()},
            "spend": None if spend is None else {"status": spend.status, "message": spend.message,
                                                 "currency": spend.currency, "since": spend.since},
            "items": [item_dict(it, spend, inv) for it in inv.items],
            "locks": [{"id": lk.id, "name": lk.name, "level": lk.level} for lk in inv.locks],
            "warnings": list(inv.warnings),
        }
        out(json.dumps(data, indent=2, ensure_ascii=False))
        return EXIT_OK
    out(f"azwizard cleanup: what azwizard created in {conn.label()}")
    existing = [it for it in inv.items if it.exists]
    if not existing:
        out("  Nothing exists: no journal and no resource tagged created-by=azwizard names a resource that is "
            "still there.")
    live_runs = []
    for run, items in sorted(inv.by_run().items()):
        here = [it for it in items if it.exists]
        gone = len(items) - len(here)
        if not here:
            continue
        live_runs.append(run)
        journeys = sorted({it.journey for it in items if it.journey})
        head = run_name(inv, run)  # the VM or cluster, group, region and date; the id last (issue 19 item 14)
        out(f"\n{head}" + (f" ({', '.join(journeys)})" if journeys and not run else "") + f": {len(here)} resource(s)"
            + (f", {gone} already deleted" if gone else ""))
        label = inv.prices_label(here)
        out(f"  estimate {total(it.cost for it in here).describe()}" + (f" ({label})" if label else ""))
        if run and spend is not None:
            out(f"  {spent_sentence(spend, spend.for_run(run))}")
        for it in here:
            cost = it.cost.describe() if it.cost is not None else ""
            flags = " [not azwizard's]" if it.foreign else (" [AKS node group]" if it.node_group_of else "")
            out(f"  {it.label:<44} {it.resource_group:<24} {it.state:<12} {_age(it):>7}  {cost}{flags}")
            if spend is not None and spend.status == "ok":
                out(f"      {spent_sentence(spend, spend.for_resource(it.id))}")
            if it.note:
                out(f"      {it.note}")
        for it in items:
            if not it.exists and it.note:
                out(f"  {it.label:<44} {it.note}")
    for lk in inv.locks:
        out(f"\nlock {lk.name} ({lk.level}) on {lk.where}")
    for w in inv.warnings:
        out(f"\nnote: {w}")
    runs = [r for r in live_runs if r and any(it.exists and not it.foreign for it in inv.by_run()[r])]
    if runs:
        out(f"\nDelete a run's resources: azwizard cleanup delete --run {runs[-1]} (a dry run; add --yes)")
    return EXIT_OK


def _backup_data(inv: Inventory, plan: DeletionPlan, names: tuple[str, ...], soft_delete_off: bool,
                 ) -> dict[str, bool]:
    """The vaults named with --delete-backup-data (vault id -> turn soft delete off first). Only a vault whose
    backup data blocks this very deletion may be named: another name changes nothing and says why."""
    from ..cleanup import backup_vaults

    if soft_delete_off and not names:
        raise CommandError("--soft-delete-off only goes with --delete-backup-data VAULT; nothing was deleted.",
                           EXIT_USAGE)
    blocking = {v.name.lower(): v for v in backup_vaults(plan, inv)}
    chosen: dict[str, bool] = {}
    for name in names:
        vault = blocking.get(name.strip().lower())
        if vault is None:
            offered = ", ".join(sorted(v.name for v in blocking.values())) or "none"
            raise CommandError(f"--delete-backup-data {name}: no vault of this deletion holds backup data by that "
                               f"name (vaults whose backup data blocks it: {offered}); nothing was deleted.",
                               EXIT_USAGE, "Type the vault's name as the dry run shows it.")
        if soft_delete_off and vault.soft_delete is not None and not vault.soft_delete.editable:
            raise CommandError(f"Soft delete is always on in {vault.name}: it cannot be turned off, so its deleted "
                               f"backup data stays {vault.soft_delete.days} days; nothing was deleted.", EXIT_USAGE,
                               "Run without --soft-delete-off: the data is deleted (kept soft-deleted), and "
                               "the vault can be deleted once its retention has passed.")
        chosen[vault.id] = soft_delete_off
    return chosen


class NothingLeft(CommandError):
    """Everything is already gone: a rerun of a deletion that did its work is a success (exit 0), not bad input."""

    def __init__(self, message: str) -> None:
        super().__init__(message, EXIT_OK)


def _plan(inv: Inventory, run: str | None, group: str | None, backup_data: tuple[str, ...] = (),
          soft_delete_off: bool = False) -> tuple[DeletionPlan, str | None]:
    """The deletion of ``run`` (``latest``: the newest with resources left) or of the whole ``group``, with the
    backup data of the vaults named in ``backup_data`` deleted first (they must block the plain plan)."""
    from ..cleanup import default_selection, plan_deletion
    from ..run.lock import runs_in_progress

    selection: list[str] = []
    whole: list[str] = []
    if run == "latest":
        run = latest_run(inv)
    if run is not None:
        if not any(it.run_id == run for it in inv.items):
            runs = ", ".join(inv.runs()) or "none"
            raise CommandError(f"No resources of run {run} (runs found: {runs}).", EXIT_USAGE,
                               "`azwizard cleanup list` shows the runs.")
        if runs_in_progress([run]):
            raise CommandError(f"Run {run} is still being applied by another azwizard: cleanup refuses a run in "
                               "progress; nothing was deleted.", EXIT_BUSY,
                               "Wait for the apply to end (or stop it), then run cleanup again.")
        selection = list(default_selection(inv, run))
    else:
        assert group is not None
        whole = [group]
    plan = plan_deletion(inv, selection, whole_groups=whole)
    if backup_data or soft_delete_off:
        chosen = _backup_data(inv, plan, backup_data, soft_delete_off)
        plan = plan_deletion(inv, selection, whole_groups=whole, backup_data=chosen)
    return plan, run


def latest_run(inv: Inventory) -> str:
    """``--run latest``: the newest run made on this machine (its journal is here) whose apply has ended and
    that has resources of its own left. Never a run seen only in tags, never one still being applied."""
    from ..run.lock import runs_in_progress
    from ..run.preflight import Ledger

    ledger = Ledger.load()
    mine = {it.run_id for it in inv.items if it.run_id and it.exists and not it.foreign
            and ledger.runs.get(it.run_id) is not None and ledger.runs[it.run_id].identity}
    busy = set(runs_in_progress(mine))
    # Run ids start with their UTC creation time, so the last one in order is the newest.
    live = sorted(mine - busy)
    if not live and busy:
        raise CommandError(f"No run made on this machine has resources left that is not still being applied "
                           f"({', '.join(sorted(busy))}); `azwizard cleanup list` shows what exists.", EXIT_BUSY)
    if not live:
        raise NothingLeft("no run made on this machine has resources left (azwizard cleanup list shows what exists).")
    return live[-1]


def delete_command(conn: Connection, *, run: str | None, group: str | None, yes: bool, confirm_group: str | None,
                   live: bool | None = None, backup_data: tuple[str, ...] = (), soft_delete_off: bool = False) -> int:
    from ..cleanup import backup_vaults
    from ..cleanup.model import key
    from ..cleanup.runs import run_name

    if run and run != "latest":  # an add-ipv6 run is undone, not deleted (docs/cli-vm-existing.md)
        from .vm_existing import undo_run

        undone = undo_run(conn, run, yes=yes)
        if undone is not None:
            return undone
    inv = inventory(conn)
    try:
        plan, run = _plan(inv, run, group, backup_data, soft_delete_off)
    except NothingLeft as e:
        out(f"azwizard cleanup: nothing left to delete in {conn.label()}: {e.message}")
        return EXIT_OK
    what = f"delete what the run of {run_name(inv, run)} made" if run else f"delete resource group {group}"
    out(f"azwizard cleanup: {what} in {conn.label()}")
    lines = plan.describe()
    out("\n".join(f"  {line}" for line in lines) if lines else "  Nothing left to delete: it is all gone already.")
    for it in (x for x in inv.items if run and x.run_id == run and x.exists and x.foreign):
        # the run's name is on it, but it is not the run's (cleanup/inventory.py): kept, and why
        out(f"  kept: {it.label} — {it.note or 'not created by azwizard'}")
    cost = plan.cost()
    if plan.ops:
        gone = {k.lower() for k in plan.deleted_ids()}
        label = inv.prices_label(it for it in inv.items if it.key in gone)
        out(f"  stops about {cost.describe()} of charges" + (f" ({label})" if label else ""))
    wholes = [op.name for op in plan.ops if op.whole_group]
    if not yes:
        hint = " --confirm-group " + " ".join(wholes) if wholes else ""
        vaults = backup_vaults(plan, inv)
        if vaults:
            hint += "".join(f" --delete-backup-data {v.name}" for v in vaults)
            out(f"\n{' and '.join(v.name for v in vaults)} hold(s) backup data: to delete it with the rest (stop "
                "protection, delete the data), name the vault with --delete-backup-data; add --soft-delete-off "
                "to delete the data at once, so the vault can go too.")
        if plan.ops:
            out(f"\nDry run: nothing was deleted. To delete, run again with --yes{hint}.")
        elif plan.blockers:  # --yes would delete nothing: say what to do instead (issue 19 item 13)
            out(f"\nDry run: nothing was deleted, and nothing can be deleted until what is blocked above is fixed"
                f"{'' if not vaults else ' (or the backup data named with --delete-backup-data)'}; then run again.")
        else:
            out("\nDry run: nothing was deleted; nothing is left to delete.")
        return EXIT_FINDINGS if plan.blockers else EXIT_OK
    if not plan.ops:
        return EXIT_FINDINGS if plan.blockers else EXIT_OK
    if wholes and (confirm_group or "").strip() not in wholes:
        raise CommandError(
            f"Deleting the whole resource group {', '.join(wholes)} takes everything in it; nothing was deleted.",
            EXIT_USAGE, f"Type the group's name to confirm: --confirm-group {wholes[0]}")
    try:
        result = _run(conn, plan, confirm_group, live)
    except KeyboardInterrupt:
        err("\nStopped watching. Deletions Azure already accepted go on; run `azwizard cleanup list` to see "
            "what is left.")
        return EXIT_INTERRUPTED
    out("")
    for line in result.report():
        out(f"  {line}")
    gone = {key(rid) for rid in result.deleted}
    for op in plan.ops:
        if op.data_fate and op.key in gone:  # the irreversible choice is said in the report too
            out(f"  {op.label}: {op.data_fate}")
    tidy = _tidy_kubeconfig(conn, inv, result)
    for line in tidy.lines() if tidy is not None else []:
        out(f"  {line}")
    if result.ok:
        out(f"✓ Deleted {len(result.deleted)} resource(s) in {result.elapsed:.0f} s.")
        return EXIT_OK
    if result.errors:
        err(f"✖ {len(result.errors)} deletion(s) failed; run the same command again to retry what is left.")
        return EXIT_AZURE
    err("✖ Some resources were not deleted (see the blockers above).")
    return EXIT_FINDINGS


def _tidy_kubeconfig(conn: Connection, inv: Inventory, result: DeletionResult) -> KubeTidy | None:
    """A deleted cluster's kubeconfig entries go with it (a 0600 backup first), as in the cleanup screen; demo
    mode tidies the demo kubeconfig under the data dir, never ~/.kube/config."""
    from ..cleanup.kubetidy import tidy_kubeconfig
    from ..kubeconfig import kubeconfig_target

    return tidy_kubeconfig(result.deleted, inv, kubeconfig_target(conn.sim is not None))


def _run(conn: Connection, plan: DeletionPlan, confirm_group: str | None, live: bool | None) -> DeletionResult:
    from ..azure.errors import AzwizardError
    from ..cleanup import Deleter, GroupConfirmationRequired
    from ..run.lock import RunInProgress

    assert conn.session is not None
    cancel = threading.Event()
    progress = Progress(f"Deleting {len(plan.ops)} operation(s)", [(op.resource_id, op.label) for op in plan.ops],
                        live=live)

    def on_event(e: DeleteEvent) -> None:
        progress.update(e.resource_id, e.state, e.message if e.state not in ("deleting",) else "", e.elapsed)

    result: dict[str, Any] = {}

    def work() -> None:
        try:
            deleter = Deleter(conn.session.factory, on_event=on_event, cancel=cancel,  # type: ignore[union-attr]
                              retry_delay=2.0)
            # --yes is the user's word for the plan's own confirmation (a VM, a cluster, several resources);
            # a whole group still needs its name typed with --confirm-group.
            result["value"] = deleter.run(plan, confirm_group_name=confirm_group, confirm=plan.confirmation())
        except BaseException as exc:
            result["error"] = exc

    thread = threading.Thread(target=work, name="azwizard-cleanup", daemon=True)
    with progress:
        thread.start()
        try:
            while thread.is_alive():
                thread.join(0.2)
        except KeyboardInterrupt:
            cancel.set()
            thread.join(30)
            raise
    exc = result.get("error")
    if isinstance(exc, GroupConfirmationRequired):
        raise CommandError(exc.what, EXIT_USAGE, exc.fix) from exc
    if isinstance(exc, RunInProgress):
        raise CommandError(exc.what, EXIT_BUSY, exc.fix) from exc
    if isinstance(exc, AzwizardError):
        raise CommandError(exc.what, EXIT_AZURE, exc.fix) from exc
    if exc is not None:
        raise exc
    return result["value"]  # type: ignore[no-any-return]
