// MARK: - Braille canvas

/// A drawing surface of braille dots: each character cell holds 2 × 4 dots, so a canvas of
/// `width` × `height` cells has `2·width` × `4·height` dots. Dot (0, 0) is the top left.
/// Each cell keeps the colour of the last dot set in it.
public struct BrailleCanvas: Sendable, Equatable {
    /// Size in character cells.
    public let width: Int
    public let height: Int
    /// Dot bits per cell, row-major (height, width); bit layout of Unicode braille.
    private var bits: [UInt8]
    /// Colour per cell, row-major (height, width).
    private var colors: [Color]

    /// Size in dots.
    public var dotWidth: Int { width * 2 }
    public var dotHeight: Int { height * 4 }

    /// An empty canvas of `width` × `height` cells.
    public init(width: Int, height: Int) {
        self.width = max(0, width); self.height = max(0, height)
        bits = Array(repeating: 0, count: self.width * self.height)
        colors = Array(repeating: .default, count: self.width * self.height)
    }

    /// Bit of dot (dx, dy) within its cell, dx ∈ 0...1, dy ∈ 0...3 (Unicode braille order).
    private static let dotBit: [[UInt8]] = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]]

    // MARK: - Dots and lines

    /// Sets dot (x, y) in `color`; dots outside the canvas are ignored.
    public mutating func set(x: Int, y: Int, color: Color = .default) {
        guard x >= 0, y >= 0, x < dotWidth, y < dotHeight else { return }
        let i = (y / 4) * width + x / 2
        bits[i] |= Self.dotBit[y % 4][x % 2]
        colors[i] = color
    }

    /// True when dot (x, y) is set.
    public func isSet(x: Int, y: Int) -> Bool {
        guard x >= 0, y >= 0, x < dotWidth, y < dotHeight else { return false }
        return bits[(y / 4) * width + x / 2] & Self.dotBit[y % 4][x % 2] != 0
    }

    /// Draws a straight line of dots from (x0, y0) to (x1, y1) (Bresenham).
    public mutating func line(x0: Int, y0: Int, x1: Int, y1: Int, color: Color = .default) {
        var x = x0, y = y0
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var err = dx + dy
        while true {
            set(x: x, y: y, color: color)
            if x == x1 && y == y1 { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x += sx }
            if e2 <= dx { err += dx; y += sy }
        }
    }

    // MARK: - Plots

    /// Draws `samples` as a connected trace across the whole canvas width, scaled so that
    /// `range` spans the canvas height (top = upper bound). NaN samples leave gaps.
    /// - Parameter dotted: one unconnected dot every second dot column: a lighter trace that
    ///   stays apart from a solid one drawn over it, without colour.
    public mutating func trace(_ samples: ArraySlice<Float>, range: ClosedRange<Float>, color: Color = .default, dotted: Bool = false) {
        guard samples.count > 0, dotWidth > 0 else { return }
        let span = max(range.upperBound - range.lowerBound, .leastNormalMagnitude)
        let n = samples.count
        var previous: (Int, Int)?
        for px in 0..<dotWidth {
            // Each dot column shows the extreme sample of its time bin, so peaks survive.
            let lo = samples.startIndex + px * n / dotWidth
            let hi = max(lo + 1, samples.startIndex + (px + 1) * n / dotWidth)
            var value = Float.nan
            for s in lo..<min(hi, samples.endIndex) where !samples[s].isNaN {
                if value.isNaN || abs(samples[s]) > abs(value) { value = samples[s] }
            }
            guard !value.isNaN else { previous = nil; continue }
            let frac = (min(max(value, range.lowerBound), range.upperBound) - range.lowerBound) / span
            let py = Int(((1 - frac) * Float(dotHeight - 1)).rounded())
            if dotted {
                if px % 2 == 0 { set(x: px, y: py, color: color) }
                continue
            }
            if let (x0, y0) = previous { line(x0: x0, y0: y0, x1: px, y1: py, color: color) } else { set(x: px, y: py, color: color) }
            previous = (px, py)
        }
    }

    /// The dot column of sample index `i` of a trace of `count` samples drawn with `trace`.
    public func dotColumn(sample i: Int, count: Int) -> Int {
        guard count > 0 else { return 0 }
        return min(dotWidth - 1, max(0, i * dotWidth / count))
    }

    /// Sets the dot nearest to data point (x, y) where the canvas spans `xRange` × `yRange`.
    public mutating func point(x: Double, y: Double, xRange: ClosedRange<Double>, yRange: ClosedRange<Double>, color: Color = .default) {
        let (px, py) = dot(x: x, y: y, xRange: xRange, yRange: yRange)
        set(x: px, y: py, color: color)
    }

    /// The dot nearest to data point (x, y) where the canvas spans `xRange` × `yRange`.
    public func dot(x: Double, y: Double, xRange: ClosedRange<Double>, yRange: ClosedRange<Double>) -> (x: Int, y: Int) {
        let fx = (x - xRange.lowerBound) / max(xRange.upperBound - xRange.lowerBound, .leastNormalMagnitude)
        let fy = (y - yRange.lowerBound) / max(yRange.upperBound - yRange.lowerBound, .leastNormalMagnitude)
        return (Int((fx * Double(dotWidth - 1)).rounded()), Int(((1 - fy) * Double(dotHeight - 1)).rounded()))
    }

    // MARK: - Output

    /// The character of cell (col, row): a braille pattern, or nil when it has no dots.
    public func symbol(col: Int, row: Int) -> Character? {
        let b = bits[row * width + col]
        return b == 0 ? nil : Character(Unicode.Scalar(0x2800 + UInt32(b))!)
    }

    /// Draws two canvases of the same size as one: a cell with dots of `over` shows the dots
    /// of both in `overStyle`; a cell with dots of `under` only, in `underStyle`. So a solid
    /// trace (`over`, e.g. bold) and a dotted one (`under`, e.g. dim) stay apart by density
    /// and attribute where colour is unavailable.
    public static func overlay(_ under: BrailleCanvas, style underStyle: Style, _ over: BrailleCanvas, style overStyle: Style,
                               into buffer: inout Buffer, x: Int, y: Int) {
        precondition(under.width == over.width && under.height == over.height, "overlay of canvases of different sizes")
        for row in 0..<over.height {
            for col in 0..<over.width {
                let i = row * over.width + col
                let top = over.bits[i], bottom = under.bits[i]
                guard top | bottom != 0 else { continue }
                let ch = Character(Unicode.Scalar(0x2800 + UInt32(top | bottom))!)
                buffer.set(x: x + col, y: y + row, Cell(ch, style: top != 0 ? overStyle : underStyle))
            }
        }
    }

    /// Draws the canvas into `buffer` with its top left at (x, y). Cells without dots are left
    /// untouched so that marks drawn underneath stay visible.
    public func render(into buffer: inout Buffer, x: Int, y: Int, background: Color = .default) {
        for row in 0..<height {
            for col in 0..<width {
                guard let ch = symbol(col: col, row: row) else { continue }
                buffer.set(x: x + col, y: y + row, Cell(ch, style: Style(fg: colors[row * width + col], bg: background)))
            }
        }
    }
}
