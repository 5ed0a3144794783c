extension GPT2Tokenizer {
    /// The token ids of `text`, every special token recognised (as in HF `tokenizers`):
    /// `encode(text, allowedSpecial: .all)`. `decode` gives `text` back.
    public func encode(_ text: String) -> [Int] { encode(text, allowedSpecial: .all) }

    /// The token ids of `text`.
    ///
    /// - Parameters:
    ///   - text: any text; `"<|endoftext|>"` in it is the special token when `allowedSpecial` allows it.
    ///   - allowedSpecial: which special added tokens are recognised.
    /// - Returns: the ids, in order; `decode` gives `text` back.
    public func encode(_ text: String, allowedSpecial: AllowedSpecialTokens) -> [Int] {
        var text = text
        return text.withUTF8 { buffer in
            var session = EncodingSession(self, allowedSpecial: allowedSpecial)
            var ids: [Int] = []
            ids.reserveCapacity(buffer.count / 3)
            session.encode(buffer, into: &ids)
            return ids
        }
    }

    /// The token ids of UTF-8 `bytes` that may be invalid (a file in an unknown encoding): each
    /// maximal invalid sequence becomes U+FFFD (`EF BF BD`), as Python's `errors="replace"`
    /// and Swift's `String(decoding:as:)` do, and the text is then encoded as usual.
    public func encode<Bytes: Collection>(bytes: Bytes, allowedSpecial: AllowedSpecialTokens = .all) -> [Int]
    where Bytes.Element == UInt8 {
        encode(String(decoding: bytes, as: UTF8.self), allowedSpecial: allowedSpecial)
    }

    /// The token ids of many texts, sharing one word cache (faster than one `encode` call each
    /// for short texts such as dataset rows).
    public func encode(batch texts: [String], allowedSpecial: AllowedSpecialTokens = .all) -> [[Int]] {
        var session = EncodingSession(self, allowedSpecial: allowedSpecial)
        return texts.map { text in
            var text = text
            return text.withUTF8 { buffer in
                var ids: [Int] = []
                ids.reserveCapacity(buffer.count / 3)
                session.encode(buffer, into: &ids)
                return ids
            }
        }
    }
}

/// The state of one encoding call (or batch): the word cache and scratch buffers for merges.
struct EncodingSession {
    private let tokenizer: GPT2Tokenizer
    private let allowedFlags: [Bool]
    private var cache = PieceCache()
    private var symbols = [Int32](repeating: 0, count: 64)
    private var ranks = [UInt64](repeating: 0, count: 64)

    init(_ tokenizer: GPT2Tokenizer, allowedSpecial: AllowedSpecialTokens) {
        self.tokenizer = tokenizer
        allowedFlags = tokenizer.splitter.flags(allowedSpecial)
    }

    mutating func encode(_ buffer: UnsafeBufferPointer<UInt8>, into ids: inout [Int]) {
        guard let p = buffer.baseAddress, !buffer.isEmpty else { return }
        if tokenizer.splitter.isEmpty {
            encodeSegment(p, 0, buffer.count, into: &ids)
            return
        }
        tokenizer.splitter.forEachSegment(p, buffer.count, flags: allowedFlags) { segment in
            switch segment {
            case .text(let start, let end): encodeSegment(p, start, end, into: &ids)
            case .token(let id): ids.append(Int(id))
            }
        }
    }

    /// Pre-tokenises `p[start..<end]` and encodes each piece.
    private mutating func encodeSegment(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, into ids: inout [Int]) {
        if tokenizer.options.addPrefixSpace && p[start] != 0x20 {
            let spaced = [0x20] + UnsafeBufferPointer(start: p + start, count: end - start)
            spaced.withUnsafeBufferPointer { buffer in
                if let base = buffer.baseAddress { encodePieces(base, 0, buffer.count, into: &ids) }
            }
            return
        }
        encodePieces(p, start, end, into: &ids)
    }

    private mutating func encodePieces(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, into ids: inout [Int]) {
        guard tokenizer.options.useRegex else {
            encodePiece(p + start, end - start, into: &ids)
            return
        }
        let base = p + start
        let n = end - start
        var i = 0
        while i < n {
            let pieceEnd = GPT2PreTokenizer.pieceEnd(base, i, n)
            encodePiece(base + i, pieceEnd - i, into: &ids)
            i = pieceEnd
        }
    }

    /// Appends the ids of one piece: from the cache, or by byte-pair encoding it.
    @inline(__always)
    private mutating func encodePiece(_ p: UnsafePointer<UInt8>, _ count: Int, into ids: inout [Int]) {
        guard count <= PieceCache.maximumKeyLength else {
            let n = bytePairEncode(p, count)
            for k in 0..<n { ids.append(Int(symbols[k])) }
            return
        }
        let hash = PieceCache.hash(p, count)
        if cache.lookup(p, count, hash: hash, appendingTo: &ids) { return }
        let n = bytePairEncode(p, count)
        symbols.withUnsafeBufferPointer { buffer in
            cache.insert(p, count, hash: hash, ids: UnsafeBufferPointer(rebasing: buffer[0..<n]))
        }
        for k in 0..<n { ids.append(Int(symbols[k])) }
    }

    /// Byte-pair encodes one piece into `symbols`, returning the number of ids.
    private mutating func bytePairEncode(_ p: UnsafePointer<UInt8>, _ count: Int) -> Int {
        if count > symbols.count {
            symbols = [Int32](repeating: 0, count: count)
            ranks = [UInt64](repeating: 0, count: count)
        }
        if tokenizer.options.ignoreMerges,
            let id = tokenizer.wholePieceIDs[Array(UnsafeBufferPointer(start: p, count: count))]
        {
            symbols[0] = id
            return 1
        }
        let unknown = tokenizer.unknownID
        let fuse = tokenizer.options.fuseUnknown
        var n = 0
        var previousUnknown = false
        for k in 0..<count {
            let id = tokenizer.byteIDs[Int(p[k])]
            if id >= 0 {
                symbols[n] = id
                n += 1
                previousUnknown = false
            } else if unknown >= 0 && !(fuse && previousUnknown) {
                symbols[n] = unknown
                n += 1
                previousUnknown = true
            }
        }
        let table = tokenizer.mergeTable
        return symbols.withUnsafeMutableBufferPointer { s in
            ranks.withUnsafeMutableBufferPointer { r in
                guard let sBase = s.baseAddress, let rBase = r.baseAddress else { return n }
                return table.merge(sBase, count: n, ranks: rBase)
            }
        }
    }
}
