import Foundation
import Graft

/// The UCI zoo data set (Richard Forsyth): 101 animals described by 16 attributes (15
/// booleans and the number of legs) and one of 7 types, bundled as
/// `Data/zsl/uci_zoo_attributes.csv` (a header row, then name, the attributes, type name).
public struct UCIZoo {
    /// The animals' names in row order ("frog" occurs twice, as in the original data).
    public let names: [String]
    /// The attribute names, from the header.
    public let attributeNames: [String]
    /// The attributes [101, 16]: 0 or 1, except legs (0, 2, 4, 5, 6 or 8).
    public let attributes: Tensor
    /// The seven type names in the UCI order (class_type 1...7).
    public let typeNames: [String]
    /// Each animal's type, an index into `typeNames` (class_type - 1), as [101].
    public let types: Tensor

    /// The number of animals.
    public static let expectedCount = 101
    /// The number of attributes.
    public static let attributeCount = 16
    /// The types in the UCI order.
    public static let canonicalTypeNames = ["mammal", "bird", "reptile", "fish", "amphibian", "insect", "invertebrate"]

    /// Loads the data set from `url` (the bundled copy by default): 101 rows of a name, 16
    /// whole-number attributes and a type from `canonicalTypeNames`, after a header row.
    public static func load(from url: URL? = nil) throws -> UCIZoo {
        let file = try url ?? DataLocation.bundledFile("zsl/uci_zoo_attributes.csv")
        let width = attributeCount + 2
        let table = try Delimited.read(file, separator: ",", hasHeader: true, columns: .exactly(width))
        let header = table.header ?? []
        guard header.first == "name", header.last == "type" else {
            throw DataError(file.path, "line 1: expected a header starting with \"name\" and ending with \"type\", found \(header)")
        }
        guard table.rows.count == expectedCount else {
            throw DataError(file.path, "expected \(expectedCount) animals, found \(table.rows.count)")
        }
        var attributes = [Float](repeating: 0, count: expectedCount * attributeCount)
        var types = [Float](repeating: 0, count: expectedCount)
        for r in 0..<expectedCount {
            for a in 0..<attributeCount {
                let v = try table.number(row: r, column: a + 1)
                guard v == v.rounded(), v >= 0 else {
                    throw table.error(row: r, "attribute \(header[a + 1]) is \(table.rows[r][a + 1]), expected a whole number >= 0")
                }
                attributes[r * attributeCount + a] = v
            }
            guard let t = canonicalTypeNames.firstIndex(of: table.rows[r][width - 1]) else {
                throw table.error(row: r, "type \(table.rows[r][width - 1].debugDescription) is not one of \(canonicalTypeNames)")
            }
            types[r] = Float(t)
        }
        return UCIZoo(names: table.rows.map { $0[0] }, attributeNames: Array(header[1...attributeCount]),
                      attributes: Tensor(attributes, shape: [expectedCount, attributeCount]),
                      typeNames: canonicalTypeNames, types: Tensor(types, shape: [expectedCount]))
    }
}
