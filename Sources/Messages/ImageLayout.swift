/// Every field of a serialized `sensor_msgs/msg/Image` except its pixels, read without copying them:
/// what a receiver checks before it keeps a frame (a 4000×3000 rgb8 frame is 36 MB to copy).
public struct ImageLayout: Equatable, Sendable {
    /// The image's header (stamp = acquisition time).
    public var header: Header
    /// Number of rows.
    public var height: UInt32
    /// Number of columns.
    public var width: UInt32
    /// Pixel encoding, e.g. `rgb8`.
    public var encoding: String
    /// 1 if multi-byte pixel values are big-endian.
    public var isBigendian: UInt8
    /// Full row length in bytes.
    public var step: UInt32
    /// The number of pixel bytes (`data` length).
    public var dataCount: Int

    /// A layout from its fields.
    public init(header: Header, height: UInt32, width: UInt32, encoding: String, isBigendian: UInt8, step: UInt32,
                dataCount: Int) {
        self.header = header
        self.height = height
        self.width = width
        self.encoding = encoding
        self.isBigendian = isBigendian
        self.step = step
        self.dataCount = dataCount
    }

    /// Reads the layout of a whole serialized Image.
    /// - Throws: `CDRError` wherever `Image(cdrBytes:)` would throw (bounds, strings, trailing bytes).
    public init(cdrBytes bytes: [UInt8]) throws {
        var reader = try CDRReader(bytes)
        header = try reader.read(Header.self)
        height = try reader.read()
        width = try reader.read()
        encoding = try reader.readString()
        isBigendian = try reader.read()
        step = try reader.read()
        dataCount = try reader.skipSequence(of: UInt8.self)
        try reader.finish()
    }
}

extension Image {
    /// Every field but the pixels, and their count.
    public var layout: ImageLayout {
        ImageLayout(header: header, height: height, width: width, encoding: encoding, isBigendian: isBigendian,
                    step: step, dataCount: data.count)
    }
}
