// The zip container of torch.save's format. Writing copies what PyTorch's writer (miniz,
// caffe2/serialize/inline_container.cc) produces: stored entries, each local header padded
// by an "FB" extra field so that the data starts on a 64-byte boundary (PyTorch memory-maps
// storages from there), sizes and CRC in a data descriptor after the data, version 0, no
// timestamps, and a zip64 end record and locator before the end record, as miniz writes. Reading goes through the central directory (so data descriptors don't
// matter), understands zip64 sizes and offsets, and checks every size against the bytes it
// was given before reading or allocating anything.

/** The bytes of one entry, a view into the archive (no copy). */
export interface ZipEntry {
  name: string;
  data: Uint8Array;
}

const LOCAL = 0x04034b50, CENTRAL = 0x02014b50, END = 0x06054b50, END64 = 0x06064b50, LOCATOR64 = 0x07064b50;
const DESCRIPTOR = 0x08074b50;
/** General purpose flags PyTorch sets: bit 3 (sizes in a data descriptor), bit 11 (UTF-8 names). */
const FLAGS = 0x0808;
const ALIGNMENT = 64;
const U32_MAX = 0xffffffff;

let crcTable: Uint32Array | null = null;

/** CRC-32 (IEEE 802.3, as zip uses). */
export function crc32(bytes: Uint8Array): number {
  if (crcTable === null) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  const t = crcTable;
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = t[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** The padding PyTorch's getPadding() puts in the "FB" extra field (zip32 entries). */
function padding(offset: number, nameLength: number): number {
  const start = offset + 30 + nameLength + 4;
  return (ALIGNMENT - (start % ALIGNMENT)) % ALIGNMENT;
}

/** A zip archive of stored entries laid out as PyTorch's writer lays them out. */
export function writeZip(entries: readonly ZipEntry[]): Uint8Array {
  const enc = new TextEncoder();
  const names = entries.map((e) => enc.encode(e.name));
  let size = 0;
  const offsets: number[] = [];
  entries.forEach((e, i) => {
    offsets.push(size);
    size += 30 + names[i].length + 4 + padding(size, names[i].length) + e.data.length + 16;
  });
  const centralStart = size;
  for (const n of names) size += 46 + n.length;
  const centralEnd = size;
  size += 56 + 20 + 22;
  if (size > U32_MAX) throw new Error(`torch.save: the checkpoint would be ${size} bytes; torchlet writes archives below 4 GiB (no zip64)`);
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  const crcs = entries.map((e) => crc32(e.data));
  let p = 0;
  entries.forEach((e, i) => {
    const pad = padding(p, names[i].length);
    v.setUint32(p, LOCAL, true);
    v.setUint16(p + 6, FLAGS, true); // version, method, time, date, crc and sizes stay 0
    v.setUint16(p + 26, names[i].length, true);
    v.setUint16(p + 28, pad + 4, true);
    out.set(names[i], p + 30);
    p += 30 + names[i].length;
    out[p] = 0x46; out[p + 1] = 0x42; // "FB"
    v.setUint16(p + 2, pad, true);
    out.fill(0x5a, p + 4, p + 4 + pad); // "Z"
    p += 4 + pad;
    out.set(e.data, p);
    p += e.data.length;
    v.setUint32(p, DESCRIPTOR, true);
    v.setUint32(p + 4, crcs[i], true);
    v.setUint32(p + 8, e.data.length, true);
    v.setUint32(p + 12, e.data.length, true);
    p += 16;
  });
  entries.forEach((e, i) => {
    v.setUint32(p, CENTRAL, true);
    v.setUint16(p + 8, FLAGS, true);
    v.setUint32(p + 16, crcs[i], true);
    v.setUint32(p + 20, e.data.length, true);
    v.setUint32(p + 24, e.data.length, true);
    v.setUint16(p + 28, names[i].length, true);
    v.setUint32(p + 42, offsets[i], true);
    out.set(names[i], p + 46);
    p += 46 + names[i].length;
  });
  // zip64 end record: its size (44), made by 0x031e, needs 45, entry counts, directory size and offset
  v.setUint32(p, END64, true);
  v.setUint32(p + 4, 44, true);
  v.setUint16(p + 12, 0x031e, true);
  v.setUint16(p + 14, 45, true);
  v.setUint32(p + 24, entries.length, true);
  v.setUint32(p + 32, entries.length, true);
  v.setUint32(p + 40, centralEnd - centralStart, true);
  v.setUint32(p + 48, centralStart, true);
  v.setUint32(p + 56, LOCATOR64, true);
  v.setUint32(p + 64, centralEnd, true);
  v.setUint32(p + 72, 1, true);
  p += 76;
  v.setUint32(p, END, true);
  v.setUint16(p + 8, entries.length, true);
  v.setUint16(p + 10, entries.length, true);
  v.setUint32(p + 12, centralEnd - centralStart, true);
  v.setUint32(p + 16, centralStart, true);
  return out;
}

/** Whether the bytes begin as a zip archive does (a local header, or an empty archive's end record). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b &&
    ((bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6));
}

function corrupt(what: string): Error {
  return new Error(`torch.load: not a readable torch.save archive: ${what}`);
}

/**
 * The entries of a zip archive, as views into `bytes`. Every offset and size is checked
 * against the archive's length; compressed entries are refused (torch.save stores them),
 * and each entry's CRC-32 is checked.
 */
export function readZip(bytes: Uint8Array): Map<string, Uint8Array> {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.length;
  // The end record is within the last 22 + 65535 bytes (its comment is at most 65535 long).
  let end = -1;
  for (let p = n - 22; p >= Math.max(0, n - 22 - 0xffff); p--) {
    if (v.getUint32(p, true) === END && p + 22 + v.getUint16(p + 20, true) === n) { end = p; break; }
  }
  if (end < 0) throw corrupt(`no end-of-central-directory record (${n} bytes): the file is truncated, or not a zip archive`);
  let count = v.getUint16(end + 10, true);
  let cdSize = v.getUint32(end + 12, true);
  let cdOffset = v.getUint32(end + 16, true);
  if (count === 0xffff || cdSize === U32_MAX || cdOffset === U32_MAX) {
    const loc = end - 20;
    if (loc < 0 || v.getUint32(loc, true) !== LOCATOR64) throw corrupt("a zip64 archive without its zip64 end locator");
    const end64 = u64(v, loc + 8, "the zip64 end record's offset", n);
    if (end64 + 56 > loc || v.getUint32(end64, true) !== END64) throw corrupt("the zip64 end record is missing or out of place");
    count = u64(v, end64 + 32, "the entry count", n);
    cdSize = u64(v, end64 + 40, "the central directory's size", n);
    cdOffset = u64(v, end64 + 48, "the central directory's offset", n);
  }
  if (cdOffset + cdSize > end) {
    throw corrupt(`the central directory claims bytes ${cdOffset}..${cdOffset + cdSize} but the archive's end record is at ${end}`);
  }
  if (count > cdSize / 46) throw corrupt(`${count} entries cannot fit in a central directory of ${cdSize} bytes`);
  const dec = new TextDecoder("utf-8", { fatal: false });
  const entries = new Map<string, Uint8Array>();
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cdOffset + cdSize || v.getUint32(p, true) !== CENTRAL) throw corrupt(`central directory entry ${i} is missing or damaged`);
    const method = v.getUint16(p + 10, true);
    const crc = v.getUint32(p + 16, true);
    let csize = v.getUint32(p + 20, true);
    let usize = v.getUint32(p + 24, true);
    const nameLen = v.getUint16(p + 28, true), extraLen = v.getUint16(p + 30, true), commentLen = v.getUint16(p + 32, true);
    let local = v.getUint32(p + 42, true);
    if (p + 46 + nameLen + extraLen + commentLen > cdOffset + cdSize) throw corrupt(`central directory entry ${i} runs past the directory`);
    const name = dec.decode(bytes.subarray(p + 46, p + 46 + nameLen));
    // zip64: the fields set to 0xFFFFFFFF come, in this order, from the 0x0001 extra field
    for (let q = p + 46 + nameLen; q + 4 <= p + 46 + nameLen + extraLen;) {
      const id = v.getUint16(q, true), len = v.getUint16(q + 2, true);
      if (id === 1) {
        let r = q + 4;
        const take = (what: string): number => {
          if (r + 8 > q + 4 + len) throw corrupt(`${name}: its zip64 field has no ${what}`);
          const x = u64(v, r, `${name}'s ${what}`, n);
          r += 8;
          return x;
        };
        if (usize === U32_MAX) usize = take("size");
        if (csize === U32_MAX) csize = take("compressed size");
        if (local === U32_MAX) local = take("header offset");
      }
      q += 4 + len;
    }
    if (method !== 0) {
      throw new Error(`torch.load: entry ${JSON.stringify(name)} is compressed (zip method ${method}${method === 8 ? ", deflate" : ""}); ` +
        `torch.save writes stored (uncompressed) entries, and torchlet reads only those: re-save it with torch.save, or zip it with -0`);
    }
    if (csize !== usize) throw corrupt(`${name}: a stored entry whose sizes differ (${csize} and ${usize})`);
    if (local + 30 > cdOffset || v.getUint32(local, true) !== LOCAL) throw corrupt(`${name}: no local header at offset ${local}`);
    const start = local + 30 + v.getUint16(local + 26, true) + v.getUint16(local + 28, true);
    if (start + csize > cdOffset) {
      throw corrupt(`${name} claims ${csize} bytes at offset ${start}, past the ${cdOffset} bytes before the central directory (truncated?)`);
    }
    const data = bytes.subarray(start, start + csize);
    if (crc32(data) !== crc) throw corrupt(`${name}: CRC-32 mismatch (the archive is damaged)`);
    if (entries.has(name)) throw corrupt(`entry ${JSON.stringify(name)} appears twice`);
    entries.set(name, data);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** A little-endian u64 that must be a byte position or size within an archive of `limit` bytes. */
function u64(v: DataView, at: number, what: string, limit: number): number {
  const lo = v.getUint32(at, true), hi = v.getUint32(at + 4, true);
  const x = hi * 2 ** 32 + lo;
  if (x > limit) throw corrupt(`${what} is ${x}, beyond the archive's ${limit} bytes`);
  return x;
}
