/// A binary min-heap: `pop` returns the smallest element by `<`. The merge loop of long
/// words keys it by merge rank and position; BPE training keys it by `PairPriority`.
struct BinaryHeap<Element: Comparable> {
    private var items: [Element] = []

    mutating func push(_ value: Element) {
        items.append(value)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child] < items[parent] else { break }
            items.swapAt(parent, child)
            child = parent
        }
    }

    mutating func pop() -> Element? {
        guard let last = items.popLast() else { return nil }
        guard !items.isEmpty else { return last }
        let top = items[0]
        items[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            guard left < items.count else { break }
            var child = left
            if left + 1 < items.count && items[left + 1] < items[left] { child = left + 1 }
            guard items[child] < items[parent] else { break }
            items.swapAt(parent, child)
            parent = child
        }
        return top
    }
}

/// A pair's place in the training heap: a higher count comes first, then the smaller key
/// (the deterministic tie-break that reproduces Hugging Face's trainer).
struct PairPriority: Comparable {
    let count: Int
    let key: UInt64

    static func < (a: PairPriority, b: PairPriority) -> Bool {
        a.count != b.count ? a.count > b.count : a.key < b.key
    }
}
