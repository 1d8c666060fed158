/// `sensor_msgs/msg/CompressedImage`: an encoded (JPEG, PNG, …) image.
public struct CompressedImage: ROSMessage {
    /// `sensor_msgs/msg/CompressedImage`
    public static let typeName = "sensor_msgs/msg/CompressedImage"
    /// Text of `msgs/sensor_msgs/msg/CompressedImage.msg`.
    public static let definition = #"""
# This message contains a compressed image.

std_msgs/Header header # Header timestamp should be acquisition time of image

string format                # Specifies the format of the data, e.g. "jpeg" or "png",
                             # or "rgb8; jpeg compressed bgr8" (compressed_image_transport)

uint8[] data                 # Compressed image buffer

"""#
    /// `std_msgs/Header`.
    public static let dependencies: [any ROSMessage.Type] = [Header.self]

    /// Stamp = acquisition time of the image.
    public var header: Header
    /// Codec, e.g. `jpeg`, `png`, or `rgb8; jpeg compressed bgr8`.
    public var format: String
    /// The encoded image file bytes.
    public var data: [UInt8]

    /// A compressed image from its fields.
    public init(header: Header = Header(), format: String = "", data: [UInt8] = []) {
        self.header = header
        self.format = format
        self.data = data
    }

    /// Every field zero or empty (what decoding starts from).
    public init() {
        self.init(header: Header())
    }

    /// The fields in `.msg` order.
    public static let cdrFields: [CDRField<Self>] = [
        .field(\.header),
        .field(\.format),
        .field(\.data),
    ]
}
