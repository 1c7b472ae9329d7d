import Testing
@testable import Graft

@Suite struct HugePageBufferTests {
    @Test func holdsWhatIsWrittenOnAHugePageBoundary() {
        let count = 1_000_003
        let buffer = HugePageBuffer(count: count)
        for i in 0..<count { buffer.pointer[i] = Float(i % 4099) - 2000 }
        var mismatches = 0
        for i in 0..<count where buffer.pointer[i] != Float(i % 4099) - 2000 { mismatches += 1 }
        #expect(mismatches == 0)
        #if os(Linux)
        #expect(Int(bitPattern: buffer.pointer) % HugePageBuffer.alignment == 0)
        #endif
    }

    @Test func reusesAReleasedMappingOfTheSameSize() {
        // 37 huge pages less a few floats: a size no other test asks for.
        let count = 37 * HugePageBuffer.alignment / 4 - 5
        var first: HugePageBuffer? = HugePageBuffer(count: count)
        first!.pointer[count - 1] = 42
        let address = Int(bitPattern: first!.pointer)
        first = nil
        let second = HugePageBuffer(count: count)
        #if os(Linux)
        #expect(Int(bitPattern: second.pointer) == address)
        #else
        _ = address
        #endif
        second.pointer[count - 1] = 7
        #expect(second.pointer[count - 1] == 7)
    }

    @Test func tinyBuffersAreUsable() {
        let buffer = HugePageBuffer(count: 0)
        buffer.pointer[0] = 1.5
        #expect(buffer.pointer[0] == 1.5)
    }
}
