import Graft

/// A hand-made binary attribute table for the ten Fashion-MNIST classes, the side information
/// of the zero-shot lab's direct attribute prediction (and one of its class embeddings). Each
/// attribute is something visible in a 28x28 picture of the item; each row says why the class
/// has the values it has. Every pair of classes differs in at least one attribute, and every
/// attribute that an unseen class has is also had by some seen class, so that its detector can
/// be learned from the seen classes alone.
enum FashionAttributes {
    /// The attributes, in column order, with what each means.
    static let attributes: [(name: String, meaning: String)] = [
        ("upper body", "worn on the upper body (covers the shoulders or chest)"),
        ("covers the legs", "hangs down over the legs"),
        ("sleeves", "has sleeves of any length"),
        ("long sleeves", "sleeves reach the wrists"),
        ("front opening", "opens down the front with buttons or a zip"),
        ("collar", "has a collar or lapels"),
        ("two legs", "split into two leg tubes"),
        ("footwear", "worn on the feet"),
        ("heel", "has a raised heel"),
        ("open", "made of straps with gaps between them, toes showing"),
        ("carried", "carried by hand or on the shoulder rather than worn"),
        ("warm", "thick material for cold weather"),
    ]

    /// The attribute names, in column order.
    static var names: [String] { attributes.map(\.name) }

    /// One row per Fashion-MNIST class in label order (FashionMNIST.classNames), 1 where the
    /// class has the attribute.
    static let table: [[Float]] = [
        //  up  legs slv long open coll 2leg foot heel open carr warm
        [1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0],   // T-shirt/top: short sleeves, pulled over the head, thin cotton
        [0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0],   // Trouser: two legs, worn below the waist
        [1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1],   // Pullover: long sleeves, no opening (pulled over the head), knitted and warm
        [1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],   // Dress: one piece from the shoulders over the legs, mostly sleeveless in Fashion-MNIST
        [1, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1],   // Coat: long sleeves, buttons or zip, lapels, thick
        [0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0],   // Sandal: straps with gaps, often a heel
        [1, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0],   // Shirt: buttoned with a collar, long sleeves, thin
        [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0],   // Sneaker: a closed flat shoe
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0],   // Bag: carried by its handle or strap
        [0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1],   // Ankle boot: closed, heeled, warm
    ]

    /// The table as a tensor [10, attributes].
    static var signatures: Tensor { Tensor(table.flatMap { $0 }, shape: [table.count, attributes.count]) }

    /// The first pair of classes (i < j) with identical rows, or nil when every pair differs.
    static func firstIdenticalPair(_ rows: [[Float]] = table) -> (Int, Int)? {
        for i in rows.indices { for j in rows.indices where j > i && rows[i] == rows[j] { return (i, j) } }
        return nil
    }

    /// The attributes that some class of `unseen` has but no class of `seen` has (their detectors
    /// could not be learned from the seen classes), as column indices.
    static func unlearnable(seen: [Int], unseen: [Int], _ rows: [[Float]] = table) -> [Int] {
        (0..<(rows.first?.count ?? 0)).filter { a in unseen.contains { rows[$0][a] == 1 } && !seen.contains { rows[$0][a] == 1 } }
    }
}
