/// `sensor_msgs/msg/Image`: an uncompressed image, rows top to bottom.
public struct Image: ROSMessage {
    /// `sensor_msgs/msg/Image`
    public static let typeName = "sensor_msgs/msg/Image"
    /// Text of `msgs/sensor_msgs/msg/Image.msg`.
    public static let definition = #"""
# This message contains an uncompressed image.
# (0, 0) is at top-left corner of image.

std_msgs/Header header # Header timestamp should be acquisition time of image

uint32 height                # image height, that is, number of rows
uint32 width                 # image width, that is, number of columns

string encoding       # Encoding of pixels -- channel meaning, ordering, size
                      # e.g. rgb8, bgr8, mono8, 32FC1

uint8 is_bigendian    # is this data bigendian?
uint32 step           # Full row length in bytes
uint8[] data          # actual matrix data, size is (step * rows)

"""#
    /// `std_msgs/Header`.
    public static let dependencies: [any ROSMessage.Type] = [Header.self]

    /// Stamp = acquisition time of the image.
    public var header: Header
    /// Number of rows.
    public var height: UInt32
    /// Number of columns.
    public var width: UInt32
    /// Pixel encoding, e.g. `rgb8`, `bgr8`, `mono8`, `32FC1`.
    public var encoding: String
    /// 1 if multi-byte pixel values are big-endian.
    public var isBigendian: UInt8
    /// Full row length in bytes.
    public var step: UInt32
    /// Pixel bytes, `step * height` of them.
    public var data: [UInt8]

    /// An image from its fields.
    public init(header: Header = Header(), height: UInt32 = 0, width: UInt32 = 0, encoding: String = "",
                isBigendian: UInt8 = 0, step: UInt32 = 0, data: [UInt8] = []) {
        self.header = header
        self.height = height
        self.width = width
        self.encoding = encoding
        self.isBigendian = isBigendian
        self.step = step
        self.data = data
    }

    /// Every field zero or empty (what decoding starts from).
    public init() {
        self.init(header: Header())
    }

    /// The fields in `.msg` order.
    public static let cdrFields: [CDRField<Self>] = [
        .field(\.header),
        .field(\.height),
        .field(\.width),
        .field(\.encoding),
        .field(\.isBigendian),
        .field(\.step),
        .field(\.data),
    ]
}
