import Foundation
import LetheStorage
import LetheTensor

/// A stateful combiner's state in a checkpoint (see `StatefulCombiner`): one float64
/// dataset per key under `/combiner_state/`, the keys and the combiner's name as root
/// attributes, so h5py reads it with no Lethe code.
enum CombinerState {
    static func write(_ combiner: any StatefulCombiner, to file: HDF5File) throws {
        let state = combiner.state
        let keys = state.keys.sorted()
        for key in keys {
            let values = state[key] ?? []
            try file.write(try Tensor(values, shape: [values.count]), to: "/combiner_state/" + key)
        }
        try file.setAttribute("combiner", type(of: combiner).name)
        try file.setAttribute("combiner_state_keys", String(decoding: try JSONEncoder().encode(keys), as: UTF8.self))
    }

    /// - Throws: naming the file when it holds no state, another combiner's, or a key is
    ///   missing.
    static func read(into combiner: any StatefulCombiner, from file: HDF5File, path: String) throws {
        let name = type(of: combiner).name
        guard let stored = try? file.stringAttribute("combiner"),
            let keysJSON = try? file.stringAttribute("combiner_state_keys")
        else {
            throw UnlearningError.invalidInput("\(path): the checkpoint holds no state for combiner \(name)")
        }
        guard stored == name else {
            throw UnlearningError.invalidInput("\(path): the checkpoint holds the state of combiner \(stored), this run uses \(name)")
        }
        let keys = try JSONDecoder().decode([String].self, from: Data(keysJSON.utf8))
        var state: [String: [Double]] = [:]
        for key in keys {
            let dataset = "/combiner_state/" + key
            guard file.exists(dataset) else { throw UnlearningError.invalidInput("\(path): missing \(dataset)") }
            state[key] = try file.readTensor(dataset).doubles
        }
        try combiner.restore(state)
    }
}
