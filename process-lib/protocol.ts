// Wire formats of the service protocol (ABI §5 and docs/apps.md): what init,
// the permission service and their clients put in payloads. Every decoder
// returns null for a payload too short to hold its fields.

import { ByteReader, ByteWriter } from "./bytes";

/** `name_len u8, name`: the payload of LOOKUP_SERVICE and SPAWN_SERVICE. */
export function encodeServiceName(name: string): Uint8Array {
  return new ByteWriter().shortString(name).finish();
}

export function decodeServiceName(payload: Uint8Array): string | null {
  const reader = new ByteReader(payload);
  const name = reader.shortString();
  return reader.ok ? name : null;
}

/** `status u8`: init's reply to REGISTER_SERVICE, and to a request it does not know. */
export function encodeStatus(status: i32): Uint8Array {
  return new ByteWriter(1).u8(<u32>status).finish();
}

/** The status in a `status u8` payload, or -1 if the payload is empty. */
export function decodeStatus(payload: Uint8Array): i32 {
  return payload.byteLength > 0 ? <i32>payload[0] : -1;
}

/** REGISTER_SERVICE: `name_len u8, name, endpoint_id_low u32, endpoint_id_high u32`. */
export class RegisterRequest {
  constructor(public name: string, public endpointId: u64) {}

  encode(): Uint8Array {
    return new ByteWriter().shortString(this.name).u64(this.endpointId).finish();
  }

  static decode(payload: Uint8Array): RegisterRequest | null {
    const reader = new ByteReader(payload);
    const name = reader.shortString();
    const endpointId = reader.u64();
    return reader.ok ? new RegisterRequest(name, endpointId) : null;
  }
}

/** LOOKUP_RESPONSE: `found u8, endpoint_id_low u32, endpoint_id_high u32`. */
export class LookupResponse {
  constructor(public found: bool, public endpointId: u64) {}

  encode(): Uint8Array {
    return new ByteWriter(9).u8(this.found ? 1 : 0).u64(this.endpointId).finish();
  }

  static decode(payload: Uint8Array): LookupResponse | null {
    const reader = new ByteReader(payload);
    const found = reader.u8() != 0;
    const endpointId = reader.u64();
    return reader.ok ? new LookupResponse(found, endpointId) : null;
  }
}

/** SPAWN_RESPONSE: `status u8, pid u32, process_slot u32`. */
export class SpawnResponse {
  constructor(public status: i32, public pid: u32, public processSlot: u32) {}

  encode(): Uint8Array {
    return new ByteWriter(9).u8(<u32>this.status).u32(this.pid).u32(this.processSlot).finish();
  }

  static decode(payload: Uint8Array): SpawnResponse | null {
    const reader = new ByteReader(payload);
    const status = <i32>reader.u8();
    const pid = reader.u32();
    const processSlot = reader.u32();
    return reader.ok ? new SpawnResponse(status, pid, processSlot) : null;
  }
}

/** GRANT_PERMISSION: `to_pid u32, object_type u8, object_id_low u32, object_id_high u32, perms u8`. */
export class GrantRequest {
  constructor(public toPid: u32, public objectType: u32, public objectId: u64, public perms: u32) {}

  encode(): Uint8Array {
    return new ByteWriter(14).u32(this.toPid).u8(this.objectType).u64(this.objectId).u8(this.perms).finish();
  }

  static decode(payload: Uint8Array): GrantRequest | null {
    const reader = new ByteReader(payload);
    const toPid = reader.u32();
    const objectType = reader.u8();
    const objectId = reader.u64();
    const perms = reader.u8();
    return reader.ok ? new GrantRequest(toPid, objectType, objectId, perms) : null;
  }
}

/** REVOKE_PERMISSION: `pid u32, slot u32`. */
export class RevokeRequest {
  constructor(public pid: u32, public slot: u32) {}

  encode(): Uint8Array {
    return new ByteWriter(8).u32(this.pid).u32(this.slot).finish();
  }

  static decode(payload: Uint8Array): RevokeRequest | null {
    const reader = new ByteReader(payload);
    const pid = reader.u32();
    const slot = reader.u32();
    return reader.ok ? new RevokeRequest(pid, slot) : null;
  }
}

/** PERMISSION_RESPONSE: `status u8, slot u32`. */
export class PermissionResponse {
  constructor(public status: i32, public slot: u32) {}

  encode(): Uint8Array {
    return new ByteWriter(5).u8(<u32>this.status).u32(this.slot).finish();
  }

  static decode(payload: Uint8Array): PermissionResponse | null {
    const reader = new ByteReader(payload);
    const status = <i32>reader.u8();
    const slot = reader.u32();
    return reader.ok ? new PermissionResponse(status, slot) : null;
  }
}

/** CAP_REVOKED (from PID 0): `slot u32, object_type u8, object_id u64, reason u8`. */
export class CapRevokedNotice {
  constructor(public slot: u32, public objectType: u32, public objectId: u64, public reason: u32) {}

  static decode(payload: Uint8Array): CapRevokedNotice | null {
    const reader = new ByteReader(payload);
    const slot = reader.u32();
    const objectType = reader.u8();
    const objectId = reader.u64();
    const reason = reader.u8();
    return reader.ok ? new CapRevokedNotice(slot, objectType, objectId, reason) : null;
  }
}
