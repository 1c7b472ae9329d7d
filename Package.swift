// swift-tools-version: 6.2
import PackageDescription

/// GRAFT_PORTABLE=1 (or any value but 0/off/no/false) in the environment of `swift build` or
/// `swift test` builds without the x86-64 code-generation flags: for aarch64 and other non-x86-64
/// Linux machines, and x86-64 CPUs without AVX2/FMA. The kernels' multiply-adds are then a
/// multiply and an add on x86-64 (Sources/Graft/Backend/CPU/MulAdd.swift) and the AVX-512
/// kernels are never chosen (see GraftAVX512/Build.swift).
let portable: Bool = {
    guard let value = Context.environment["GRAFT_PORTABLE"] else { return false }
    return !["", "0", "off", "no", "false"].contains(value.lowercased())
}()

/// `-march` for code generation: AVX2/FMA (x86-64-v3) everywhere, x86-64-v4 (AVX-512) in
/// GraftAVX512; with it the condition GRAFT_HARDWARE_FMA, which makes the kernels' `mulAdd` a
/// fused multiply-add (MulAdd.swift). Without the flags a fused multiply-add would be a call to
/// `fmaf`, about 50x slower (../shared/SWIFT-NOTES.md), so `mulAdd` is a multiply and an add.
/// `#if arch(x86_64)` reads the machine that evaluates this manifest, the host: cross-compiling
/// from x86-64 to another architecture needs GRAFT_PORTABLE=1.
func march(_ level: String) -> [SwiftSetting] {
    #if arch(x86_64)
    if !portable { return [.unsafeFlags(["-Xcc", "-march=\(level)"]), .define("GRAFT_HARDWARE_FMA")] }
    #endif
    return []
}

/// No bounds or overflow checks in release builds: only for the kernel targets (Graft and
/// GraftAVX512), whose hot loops run on raw pointers and small strided indices (a 64x64
/// transpose took a third of the time). Everything else keeps Swift's checks.
let unchecked: [SwiftSetting] = [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]

/// The kernel targets: -march and -Ounchecked.
let kernelSettings: [SwiftSetting] = march("x86-64-v3") + unchecked

/// Every other target (libraries, the command, the tests): -march (SIMD FMA), checks on.
let checkedSettings: [SwiftSetting] = march("x86-64-v3")

/// GraftAVX512: x86-64-v4 code generation, and the condition GRAFT_AVX512_CODEGEN that tells
/// Graft whether it was compiled so (a portable build compiles the same Swift as plain SIMD code,
/// correct on any CPU, which Graft then does not choose).
let avx512Settings: [SwiftSetting] = {
    let flags = march("x86-64-v4")
    return flags + unchecked + (flags.isEmpty ? [] : [.define("GRAFT_AVX512_CODEGEN")])
}()

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
            swiftSettings: avx512Settings
        ),
        .target(name: "Graft", dependencies: ["GraftAVX512"], swiftSettings: kernelSettings),
        .target(name: "GraftNN", dependencies: ["Graft"], swiftSettings: checkedSettings),
        /// The system zlib, for gzip-compressed data files.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        /// The course's techniques as library code: GAN losses and fixes, transfer-learning recipes,
        /// sequence-to-sequence models (which batch token sequences with GraftData's text tools); accuracy and
        /// other shared statistics come from GraftMetrics, the layer below.
        .target(name: "GraftRecipes", dependencies: ["Graft", "GraftNN", "GraftData", "GraftMetrics"], swiftSettings: checkedSettings),
        /// The system libbz2, for corpora that packages ship as .bz2.
        .systemLibrary(name: "CBZip2", providers: [.apt(["libbz2-dev"])]),
        .target(name: "GraftData", dependencies: ["Graft", "CZlib", "CBZip2"], swiftSettings: checkedSettings),
        /// The system libpng, for the PNG images embedded in reports.
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        /// Self-contained HTML reports of lab runs: inline SVG charts, embedded PNG images.
        .target(name: "GraftReport", dependencies: ["Graft", "CPNG"], swiftSettings: checkedSettings),
        /// The labs: experiments that reproduce the course's claims, and the frame that runs them.
        .target(name: "GraftLabs", dependencies: ["Graft", "GraftNN", "GraftData", "GraftReport", "GraftRecipes", "GraftMetrics"],
                swiftSettings: checkedSettings),
        /// Evaluation of generators: FID, KID, classifier score, Parzen windows, precision and
        /// recall, nearest-neighbour memorization checks, mode coverage; `graft eval` on .npy files.
        .target(name: "GraftMetrics", dependencies: ["Graft", "GraftData"], swiftSettings: checkedSettings),
        /// The training steps `graft bench` times against the PyTorch reference (the rollout row uses
        /// GraftRecipes' frozen scorer and rollout loop).
        .target(name: "GraftBench", dependencies: ["Graft", "GraftNN", "GraftRecipes"], swiftSettings: checkedSettings),
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
            swiftSettings: checkedSettings
        ),
        .testTarget(
            name: "GraftTests",
            dependencies: ["Graft", "GraftNN", "GraftData", "GraftBench", "GraftReport", "GraftRecipes", "GraftLabs", "GraftMetrics"],
            exclude: ["Fixtures"],   // read through #filePath, not bundled
            swiftSettings: checkedSettings
        ),
    ]
)
