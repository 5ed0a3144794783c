/// A cache from the UTF-8 bytes of a pre-tokenised piece to its token ids, so each distinct word
/// of a text is byte-pair encoded once (text is Zipf-distributed: a few thousand words make up
/// most of it). Open addressing with linear probing; keys and ids live in two growing arenas,
/// so a look-up allocates nothing:
///
///     hash  = 64-bit multiply-xorshift over 8-byte words of the piece (then its length)
///     slot  = hash >> (64 - bits), probing forward; a slot holds hash and entry index
///
/// One cache belongs to one encoding call (or one batch); it is not shared between threads.
/// It stops taking new entries past `maximumEntries` (the look-ups still work).
struct PieceCache {
    private var slotHashes: [UInt64]
    private var slotEntries: [Int32]
    private var bits: Int
    /// Per entry: key start and length in `keyBytes`, ids start and count in `ids`.
    private var entries: [(keyStart: Int32, keyLength: Int32, idsStart: Int32, idsCount: Int32)] = []
    private var keyBytes: [UInt8] = []
    private var ids: [Int32] = []

    /// Pieces longer than this are not cached (long runs of spaces or dashes are rare).
    static let maximumKeyLength = 64
    static let maximumEntries = 1 << 20

    init(bits: Int = 6) {
        self.bits = bits
        slotHashes = [UInt64](repeating: 0, count: 1 << bits)
        slotEntries = [Int32](repeating: -1, count: 1 << bits)
    }

    /// The hash of `p[0..<count]`; never 0 (0 marks an empty slot).
    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(count)
        var i = 0
        while i + 8 <= count {
            let word = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
            h = (h ^ word) &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 29
            i += 8
        }
        if i < count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < count {
                tail |= UInt64(p[i]) << shift
                shift += 8
                i += 1
            }
            h = (h ^ tail) &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 29
        }
        h = h &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 32
        return h | 1
    }

    /// Appends the ids cached for the piece to `output` and returns true, or returns false.
    @inline(__always)
    func lookup(_ p: UnsafePointer<UInt8>, _ count: Int, hash: UInt64, appendingTo output: inout [Int]) -> Bool {
        let mask = slotHashes.count - 1
        var slot = Int(truncatingIfNeeded: hash >> UInt64(64 - bits))
        while true {
            let found = slotHashes[slot]
            if found == 0 { return false }
            if found == hash {
                let entry = entries[Int(slotEntries[slot])]
                if Int(entry.keyLength) == count {
                    let same = keyBytes.withUnsafeBufferPointer { keys in
                        guard let base = keys.baseAddress else { return count == 0 }
                        return memoryEqual(base + Int(entry.keyStart), p, count)
                    }
                    if same {
                        ids.withUnsafeBufferPointer { cached in
                            for k in Int(entry.idsStart)..<Int(entry.idsStart + entry.idsCount) {
                                output.append(Int(cached[k]))
                            }
                        }
                        return true
                    }
                }
            }
            slot = (slot + 1) & mask
        }
    }

    /// Stores the ids of a piece that `lookup` did not find.
    mutating func insert(_ p: UnsafePointer<UInt8>, _ count: Int, hash: UInt64, ids newIDs: UnsafeBufferPointer<Int32>) {
        guard count <= Self.maximumKeyLength, entries.count < Self.maximumEntries else { return }
        if (entries.count + 1) * 2 > slotHashes.count { grow() }
        let entry = (Int32(keyBytes.count), Int32(count), Int32(ids.count), Int32(newIDs.count))
        keyBytes.append(contentsOf: UnsafeBufferPointer(start: p, count: count))
        ids.append(contentsOf: newIDs)
        entries.append(entry)
        place(hash: hash, entry: Int32(entries.count - 1))
    }

    private mutating func place(hash: UInt64, entry: Int32) {
        let mask = slotHashes.count - 1
        var slot = Int(truncatingIfNeeded: hash >> UInt64(64 - bits))
        while slotHashes[slot] != 0 { slot = (slot + 1) & mask }
        slotHashes[slot] = hash
        slotEntries[slot] = entry
    }

    private mutating func grow() {
        let old = zip(slotHashes, slotEntries).filter { $0.0 != 0 }
        bits += 1
        slotHashes = [UInt64](repeating: 0, count: 1 << bits)
        slotEntries = [Int32](repeating: -1, count: 1 << bits)
        for (hash, entry) in old { place(hash: hash, entry: entry) }
    }
}

/// Whether `a[0..<count]` equals `b[0..<count]`.
@inline(__always)
func memoryEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    var i = 0
    while i + 8 <= count {
        if UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self) != UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self) {
            return false
        }
        i += 8
    }
    while i < count {
        if a[i] != b[i] { return false }
        i += 1
    }
    return true
}
