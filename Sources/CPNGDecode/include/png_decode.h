// PNG decoding over a caller-owned memory buffer with libpng's standard read API.
//
// libpng reports errors by longjmp; both entry points catch them with setjmp inside C, so no
// longjmp ever crosses a Swift frame, and report them as a 0 return plus libpng's message.
// Neither function keeps any pointer it was given after it returns.
#ifndef VLA_PNG_DECODE_H
#define VLA_PNG_DECODE_H

#include <stddef.h>
#include <stdint.h>

/// The image header fields that IHDR declares.
typedef struct {
    uint32_t width;
    uint32_t height;
    /// Bits per sample: 1, 2, 4, 8 or 16.
    uint8_t bit_depth;
    /// PNG colour type: 0 gray, 2 RGB, 3 palette, 4 gray + alpha, 6 RGBA.
    uint8_t color_type;
} vla_png_header;

/// Reads the signature and every chunk before the image data, and fills `header`.
/// Returns 1 on success; on failure returns 0 and writes libpng's message, NUL-terminated and
/// truncated to `message_capacity` bytes, to `message`.
int vla_png_read_header(const uint8_t *data, size_t size, vla_png_header *header,
                        char *message, size_t message_capacity);

/// Decodes the whole image into `rgb`, which must hold exactly width × height × 3 bytes, as
/// Pillow's `Image.open(f).convert("RGB")` does: palettes are expanded, gray is replicated, alpha
/// and tRNS transparency are dropped, 16-bit samples keep their high byte, except 16-bit gray
/// without alpha (Pillow's mode I;16), whose values above 255 become 255. No gamma or other
/// colour-space conversion is applied. Returns 1 on success, 0 with a message as above.
int vla_png_decode_rgb8(const uint8_t *data, size_t size, uint8_t *rgb, size_t rgb_size,
                        char *message, size_t message_capacity);

#endif
