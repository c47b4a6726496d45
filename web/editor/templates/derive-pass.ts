// derive-pass: derives a weaker capability, passes it on to another process,
// sees it used, and revokes it.
//
// The other process is a second copy of this program, started through init
// (SPAWN_SERVICE): a copy that finds an older process of its own name alive
// plays the receiver and waits for a capability to arrive.
//
// What it shows:
// - CAP_DERIVE copies a capability with the same or fewer rights, never more;
// - CAP_GRANT needs the grant right on the source and gives source ∩ asked;
// - the receiver can do what its rights allow and no more;
// - CAP_REVOKE removes everything derived or granted from a slot, in every
//   process, and each holder is told (CAP_REVOKED on its slot 1).

import {
  capDelete, capDerive, capGrant, capInspect, CapRevokedNotice, capRevoke, describeError, E_OK, epCreate,
  errorCode, exit, getPid, isError, lastError, listCaps, listProcs, MSG_APP_INPUT, MSG_CAP_REVOKED, OBJ_ENDPOINT,
  PERM_ALL, PERM_GRANT, PERM_WRITE, permsString, println, receive, revokeReasonName, send, sleepMs, SLOT_INPUT,
  spawnService, utf8Encode,
} from "../process-lib";

export function _start(): void {
  const name = ownName();
  if (olderCopyAlive(name)) runReceiver();
  else runPasser(name);
}

function runPasser(name: string): void {
  const mailbox = check("EP_CREATE", epCreate());
  say("slot " + mailbox.toString() + ": a new endpoint of ours, " + rights(mailbox));

  const weaker = check("CAP_DERIVE", capDerive(mailbox, PERM_WRITE | PERM_GRANT));
  say("derived slot " + weaker.toString() + " from it: " + rights(weaker) + " (no read)");

  const greedy = check("CAP_DERIVE", capDerive(weaker, PERM_ALL));
  say("asked slot " + weaker.toString() + " for rwg, got " + rights(greedy) + ": rights never grow");
  capDelete(greedy);

  const child = spawnService(name);
  if (child.status != E_OK) fail("SPAWN_SERVICE " + name, child.status);
  say("init started pid " + child.pid.toString() + " for us (our Process capability: slot " + child.processSlot.toString() + ")");

  const given = check("CAP_GRANT", capGrant(weaker, child.pid, PERM_WRITE));
  say("granted pid " + child.pid.toString() + " slot " + given.toString() + " from slot " + weaker.toString() + ", asking -w-");

  const message = receive(mailbox, true, 5000);
  if (message == null) fail("RECEIVE", lastError() == E_OK ? -1 : lastError());
  else say("pid " + message.from.toString() + " wrote \"" + message.text() + "\" to our endpoint; we own it, so we receive");

  const revoked = capRevoke(mailbox);
  if (revoked == null) fail("CAP_REVOKE", lastError());
  else say("revoked slot " + mailbox.toString() + ": " + revoked.removed.toString() + " capabilities removed in " +
    revoked.processes.toString() + " processes; slot " + weaker.toString() + " is now " + rights(weaker) +
    ", and pid " + child.pid.toString() + " loses slot " + given.toString());
  sleepMs(200); // the receiver prints the notice it gets
  exit(0);
}

function runReceiver(): void {
  const slot = waitForCapability();
  if (slot < 0) {
    say("no capability came within 5 s; run this program from the editor, not from a shell");
    exit(2);
    return;
  }
  say("got slot " + slot.toString() + ": " + rights(<u32>slot));
  if (receive(<u32>slot, false) == null && lastError() != E_OK) {
    say("RECEIVE on it: " + describeError(lastError()) + ": we hold no read right, and we are not the owner");
  }
  const sent = send(<u32>slot, MSG_APP_INPUT, utf8Encode("hi from pid " + getPid().toString()));
  say("SEND on it: " + (isError(sent) ? describeError(errorCode(sent)) : "ok"));
  const notice = receive(SLOT_INPUT, true, 5000);
  if (notice != null && notice.tag == MSG_CAP_REVOKED) {
    const revoked = CapRevokedNotice.decode(notice.payload);
    if (revoked != null) say("told: slot " + revoked.slot.toString() + " was revoked (" + revokeReasonName(revoked.reason) + ")");
  }
  exit(0);
}

/** The first Endpoint capability beyond the three every process starts with, or -1 after 5 s. */
function waitForCapability(): i32 {
  for (let tries = 0; tries < 100; tries++) {
    const caps = listCaps();
    for (let i = 0; i < caps.length; i++) {
      if (caps[i].slot > 2 && caps[i].type == OBJ_ENDPOINT) return <i32>caps[i].slot;
    }
    sleepMs(50);
  }
  return -1;
}

function ownName(): string {
  const me = getPid();
  const procs = listProcs();
  for (let i = 0; i < procs.length; i++) if (procs[i].pid == me) return procs[i].name;
  return "";
}

function olderCopyAlive(name: string): bool {
  const procs = listProcs();
  for (let i = 0; i < procs.length; i++) if (procs[i].name == name && procs[i].pid < getPid()) return true;
  return false;
}

function rights(slot: u32): string {
  const info = capInspect(slot);
  return info == null ? "empty" : permsString(info.perms);
}

function say(text: string): void {
  println("pid " + getPid().toString() + ": " + text);
}

/** A slot-shaped result: the slot, or the failure printed and the program ended. */
function check(what: string, result: i32): u32 {
  if (isError(result)) fail(what, errorCode(result));
  return <u32>result;
}

function fail(what: string, code: i32): void {
  say(what + " failed: " + describeError(code));
  exit(1);
}
