import Foundation

/// The weights of a Hugging Face model folder: `model.safetensors`, or the shards that
/// `model.safetensors.index.json` lists (`{"metadata": {...}, "weight_map": {tensor: shard
/// file}}`, as `transformers`' `save_pretrained` writes when a model exceeds its shard size).
extension SafetensorsFile {
    public static let indexFileName = "model.safetensors.index.json"
    public static let singleFileName = "model.safetensors"

    /// Every tensor of the folder's safetensors weights (BF16 / F16 converted to float32),
    /// from the index's shards when there is an index, else from `model.safetensors`.
    /// - Throws: `SafetensorsError` naming the index or shard (and the tensor) when the index is
    ///   not JSON, names a shard outside the folder or missing, a shard lacks a tensor the index
    ///   puts in it, holds a tensor the index does not list there, or two shards hold one name.
    public static func read(folder: String) throws -> SafetensorsFile {
        let index = (folder as NSString).appendingPathComponent(indexFileName)
        guard FileManager.default.fileExists(atPath: index) else {
            return try read(path: (folder as NSString).appendingPathComponent(singleFileName))
        }
        let weightMap = try readIndex(index)
        var merged = SafetensorsFile()
        for shard in Set(weightMap.values).sorted() {
            let shardPath = (folder as NSString).appendingPathComponent(shard)
            let file = try read(path: shardPath)
            let expected = Set(weightMap.filter { $0.value == shard }.keys)
            let stored = Set(file.tensors.keys).union(file.integers.keys)
            if let missing = expected.subtracting(stored).sorted().first {
                throw SafetensorsError.malformed(path: shardPath, tensor: missing, reason: "\(indexFileName) puts this tensor in \(shard), which lacks it")
            }
            if let extra = stored.subtracting(expected).sorted().first {
                let listed = weightMap[extra].map { "lists it in \($0)" } ?? "does not list it"
                throw SafetensorsError.malformed(path: shardPath, tensor: extra, reason: "the shard holds this tensor but \(indexFileName) \(listed)")
            }
            merged.tensors.merge(file.tensors) { first, _ in first }
            merged.integers.merge(file.integers) { first, _ in first }
            merged.metadata.merge(file.metadata) { first, _ in first }
        }
        return merged
    }

    /// The `weight_map` of an index file: tensor name to a shard file name in the same folder.
    static func readIndex(_ path: String) throws -> [String: String] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw SafetensorsError.cannotRead(path: path, reason: error.localizedDescription)
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let map = object["weight_map"] as? [String: Any]
        else {
            throw SafetensorsError.malformed(path: path, tensor: "", reason: "expected a JSON object with a \"weight_map\" object")
        }
        var weightMap: [String: String] = [:]
        for (tensor, value) in map {
            guard let shard = value as? String, !shard.isEmpty, !shard.contains("/"), shard != "..", shard != "." else {
                throw SafetensorsError.malformed(path: path, tensor: tensor, reason: "weight_map must name a shard file in the same folder, found \(value)")
            }
            weightMap[tensor] = shard
        }
        guard !weightMap.isEmpty else { throw SafetensorsError.malformed(path: path, tensor: "", reason: "weight_map is empty") }
        return weightMap
    }
}
