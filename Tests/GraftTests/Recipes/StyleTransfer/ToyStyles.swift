import Graft

/// Two toy "styles" of the same sentences under a fixed token cipher, for tests of unsupervised
/// style transfer: content words 4..<16 are shared; after a content word c, with probability one
/// half, comes the style word of c's group g = (c - 4) mod 4, written 16 + g in style 0 and 20 + g
/// in style 1. The cipher 16 + g ↔ 20 + g is the known answer; the context (the preceding content
/// word's group) makes it recoverable from unpaired sentences with a language model of each style.
enum ToyStyles {
    /// Tokens 0..<24 (0...3 are pad, unk, bos, eos).
    static let vocabulary = 24

    /// `count` sentences of `style` with `words` content words each, drawn from `generator`.
    static func sentences(_ count: Int, style: Int, words: ClosedRange<Int> = 3...6, generator: RandomGenerator) -> [[Int]] {
        (0..<count).map { _ in
            var sentence: [Int] = []
            for _ in 0..<(words.lowerBound + generator.nextInt(below: words.count)) {
                let c = 4 + generator.nextInt(below: 12)
                sentence.append(c)
                if generator.nextFloat() < 0.5 { sentence.append((style == 0 ? 16 : 20) + (c - 4) % 4) }
            }
            return sentence
        }
    }

    /// The cipher applied to every token: the sentence in the other style.
    static func cipher(_ sentence: [Int]) -> [Int] {
        sentence.map { t in (16..<20).contains(t) ? t + 4 : (20..<24).contains(t) ? t - 4 : t }
    }

    /// Position-wise token accuracy of `outputs` against `references`: matches over the longer length of each pair.
    static func tokenAccuracy(_ outputs: [[Int]], _ references: [[Int]]) -> Double {
        var hits = 0, total = 0
        for (o, r) in zip(outputs, references) {
            hits += zip(o, r).filter { $0 == $1 }.count
            total += max(o.count, r.count)
        }
        return Double(hits) / Double(max(1, total))
    }

    /// The share of style-word positions of `references` (tokens 16..<24) that `outputs` got right.
    static func styleWordAccuracy(_ outputs: [[Int]], _ references: [[Int]]) -> Double {
        var hits = 0, total = 0
        for (o, r) in zip(outputs, references) {
            for (i, t) in r.enumerated() where t >= 16 {
                total += 1
                if i < o.count && o[i] == t { hits += 1 }
            }
        }
        return Double(hits) / Double(max(1, total))
    }
}
