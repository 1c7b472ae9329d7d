/// Colours for series and classes that colour-blind readers can tell apart.
public enum Palette {
    /// The Okabe–Ito palette, ordered so the first colours contrast most on white (yellow,
    /// faint on white, comes last).
    public static let okabeIto: [String] = [
        "#0072B2",   // blue
        "#D55E00",   // vermillion
        "#009E73",   // bluish green
        "#E69F00",   // orange
        "#CC79A7",   // reddish purple
        "#56B4E9",   // sky blue
        "#000000",   // black
        "#F0E442",   // yellow
    ]

    /// The colour of series or class `index`, cycling through the palette.
    public static func color(_ index: Int) -> String {
        okabeIto[((index % okabeIto.count) + okabeIto.count) % okabeIto.count]
    }

    /// Grey for axes, grid lines and reference lines.
    public static let axis = "#444444"
    /// Light grey for grid lines.
    public static let grid = "#e3e3e3"
    /// Grey for secondary text.
    public static let mutedText = "#555555"
}
