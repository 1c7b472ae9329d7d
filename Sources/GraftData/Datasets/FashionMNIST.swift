import Foundation
import Graft

/// Fashion-MNIST (Xiao, Rasul and Vollgraf 2017): 70,000 28x28 grey images of ten kinds of
/// clothing, a drop-in harder MNIST. Not bundled: `graft data fetch fashion-mnist` obtains it.
public struct FashionMNIST {
    /// The class names in label order.
    public static let classNames = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
    /// Images [N, 1, 28, 28] scaled to [0, 1].
    public let images: Tensor
    /// Labels [N], whole numbers 0...9.
    public let labels: Tensor

    /// Loads a split from `dataHome`'s `fashion-mnist/` folder.
    public static func load(_ split: MNIST.Split, dataHome: URL = DataHome.directory) throws -> FashionMNIST {
        let prefix = split == .train ? "train" : "t10k"
        let images = try FetchedFile.url("fashion-mnist", "\(prefix)-images-idx3-ubyte.gz", dataHome: dataHome)
        let labels = try FetchedFile.url("fashion-mnist", "\(prefix)-labels-idx1-ubyte.gz", dataHome: dataHome)
        let set = try MNIST.load(images: images, labels: labels)
        return FashionMNIST(images: set.images, labels: set.labels)
    }
}
