import Testing
@testable import GraftReport

@Suite struct AxisTicksTests {
    @Test func niceStepsAreOneTwoFiveTimesAPowerOfTen() {
        #expect(AxisTicks.niceStep(0.2) == (2, -1))
        #expect(AxisTicks.niceStep(0.148) == (2, -1))
        #expect(AxisTicks.niceStep(3.16) == (5, 0))
        #expect(AxisTicks.niceStep(7) == (1, 1))
        #expect(AxisTicks.niceStep(1) == (1, 0))
        #expect(AxisTicks.niceStep(0.00031) == (5, -4))
        #expect(AxisTicks.niceStep(.nan) == (1, 0))
    }

    @Test func linearTicksCoverTheDataInWholeSteps() {
        let unit = AxisTicks.linear(min: 0, max: 1)
        #expect(unit.values == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(unit.labels == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        let mid = AxisTicks.linear(min: 0.13, max: 0.87)
        #expect(mid.lower == 0 && mid.upper == 1)
        let wide = AxisTicks.linear(min: -3.7, max: 12.1)
        #expect(wide.values == [-5, 0, 5, 10, 15] && wide.labels == ["-5", "0", "5", "10", "15"])
        // 0.1 steps are exact decimals, not 0.30000000000000004.
        let tenths = AxisTicks.linear(min: 0.1, max: 0.5, target: 4)
        #expect(tenths.values == [0.1, 0.2, 0.3, 0.4, 0.5])
        #expect(tenths.labels == ["0.1", "0.2", "0.3", "0.4", "0.5"])
        let big = AxisTicks.linear(min: 0, max: 3_000_000)
        #expect(big.labels.last == "3e6")
        for t in [unit, mid, wide, tenths, big] {
            #expect(t.values == t.values.sorted() && t.values.count == t.labels.count && t.values.count >= 2)
        }
    }

    @Test func degenerateRangesStillGiveAnAxis() {
        let single = AxisTicks.linear(min: 5, max: 5)
        #expect(single.lower <= 4.5 && single.upper >= 5.5)
        let zero = AxisTicks.linear(min: 0, max: 0)
        #expect(zero.lower == -1 && zero.upper == 1)
        let bad = AxisTicks.linear(min: .nan, max: .infinity)
        #expect(bad.lower == 0 && bad.upper == 1)
        let reversed = AxisTicks.linear(min: 10, max: 0)
        #expect(reversed.lower == 0 && reversed.upper == 10)
    }

    @Test func logTicksAreDecades() {
        let t = AxisTicks.log(min: 0.003, max: 42)
        #expect(t.values == [0.001, 0.01, 0.1, 1, 10, 100])
        #expect(t.labels == ["0.001", "0.01", "0.1", "1", "10", "100"])
        let narrow = AxisTicks.log(min: 0.5, max: 8)
        #expect(narrow.values == [0.1, 0.2, 0.5, 1, 2, 5, 10])
        let huge = AxisTicks.log(min: 1e-12, max: 1e6)
        #expect(huge.values.count <= 10 && huge.lower <= 1e-12 && huge.upper >= 1e6)
        #expect(huge.labels.first == "1e-12")
        #expect(t.fraction(0) == nil && t.fraction(-1) == nil && t.fraction(.nan) == nil)
        #expect(abs(t.fraction(1)! - 0.6) < 1e-12)
    }

    @Test func numbersFormatWithoutLocaleOrNoise() {
        #expect(NumberFormat.fixed(3.14159, decimals: 2) == "3.14")
        #expect(NumberFormat.fixed(-0.004, decimals: 2) == "0.00")
        #expect(NumberFormat.fixed(-2.5, decimals: 0) == "-3")
        #expect(NumberFormat.fixed(0.05, decimals: 3) == "0.050")
        #expect(NumberFormat.coordinate(12.0) == "12" && NumberFormat.coordinate(12.345) == "12.35")
        #expect(NumberFormat.short(0.73129) == "0.731")
        #expect(NumberFormat.short(98.21) == "98.2")
        #expect(NumberFormat.short(12345) == "12345")
        #expect(NumberFormat.short(0.000015) == "1.5e-5")
        #expect(NumberFormat.short(2_500_000) == "2.5e6")
        #expect(NumberFormat.short(.nan) == "NaN" && NumberFormat.short(-.infinity) == "-inf")
    }
}
