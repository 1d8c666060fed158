#include "png_decode.h"

#include <png.h>
#include <stdio.h>
#include <string.h>

/// The input stream and the error text of one decoding session; lives on the entry point's stack.
typedef struct {
    const uint8_t *data;
    size_t size;
    size_t offset;
    char *message;
    size_t message_capacity;
} session;

static void set_message(session *state, const char *text) {
    if (state->message_capacity > 0) snprintf(state->message, state->message_capacity, "%s", text);
}

static void on_error(png_structp png, png_const_charp text) {
    set_message(png_get_error_ptr(png), text);
    png_longjmp(png, 1);
}

/// Warnings (benign errors such as a bad ancillary chunk CRC) are not fatal and not printed.
static void on_warning(png_structp png, png_const_charp text) {
    (void)png;
    (void)text;
}

static void on_read(png_structp png, png_bytep output, size_t length) {
    session *state = png_get_io_ptr(png);
    if (length > state->size - state->offset) png_error(png, "unexpected end of file");
    memcpy(output, state->data + state->offset, length);
    state->offset += length;
}

/// Work done after the header has been read; runs under the session's setjmp, so it may call
/// any libpng function or png_error.
typedef void (*session_job)(png_structp png, png_infop info, void *context);

/// Creates a reader over `data`, reads every chunk before the image data, runs `job`, and
/// destroys the reader. Returns 1 on success, 0 after any libpng error.
static int run_session(const uint8_t *data, size_t size, char *message, size_t message_capacity,
                       session_job job, void *context) {
    session state = {data, size, 0, message, message_capacity};
    set_message(&state, "");
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &state, on_error, on_warning);
    if (png == NULL) {
        set_message(&state, "cannot create a libpng reader (out of memory)");
        return 0;
    }
    png_infop info = png_create_info_struct(png);
    if (info == NULL) {
        png_destroy_read_struct(&png, NULL, NULL);
        set_message(&state, "cannot create a libpng reader (out of memory)");
        return 0;
    }
    // `png` and `info` are not modified between setjmp and a longjmp, so they need not be volatile.
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &info, NULL);
        return 0;
    }
    png_set_read_fn(png, &state, on_read);
    png_read_info(png, info);
    job(png, info, context);
    png_destroy_read_struct(&png, &info, NULL);
    return 1;
}

static void header_job(png_structp png, png_infop info, void *context) {
    vla_png_header *header = context;
    header->width = png_get_image_width(png, info);
    header->height = png_get_image_height(png, info);
    header->bit_depth = png_get_bit_depth(png, info);
    header->color_type = png_get_color_type(png, info);
}

int vla_png_read_header(const uint8_t *data, size_t size, vla_png_header *header,
                        char *message, size_t message_capacity) {
    return run_session(data, size, message, message_capacity, header_job, header);
}

/// The caller's output buffer.
typedef struct {
    uint8_t *rgb;
    size_t rgb_size;
} rgb_target;

/// Turns `count` 16-bit big-endian gray samples packed at the start of `buffer` into RGB8 in
/// place, as Pillow converts I;16 to RGB (values above 255 become 255). Walks backwards, so each
/// 3-byte output pixel is written at or after the 2 bytes it came from and never over a sample
/// not yet read.
static void widen_gray16_in_place(uint8_t *buffer, size_t count) {
    for (size_t index = count; index-- > 0;) {
        uint8_t value = buffer[2 * index] != 0 ? 255 : buffer[2 * index + 1];
        buffer[3 * index] = value;
        buffer[3 * index + 1] = value;
        buffer[3 * index + 2] = value;
    }
}

static void decode_job(png_structp png, png_infop info, void *context) {
    rgb_target *target = context;
    png_uint_32 width = png_get_image_width(png, info), height = png_get_image_height(png, info);
    if (width == 0 || height == 0 || (size_t)width > target->rgb_size / 3 / height
        || (size_t)width * height * 3 != target->rgb_size) {
        png_error(png, "output buffer size does not match the image");
    }
    int color_type = png_get_color_type(png, info), bit_depth = png_get_bit_depth(png, info);
    int is_gray16 = color_type == PNG_COLOR_TYPE_GRAY && bit_depth == 16;
    if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (color_type == PNG_COLOR_TYPE_GRAY && bit_depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (!is_gray16) {
        png_set_strip_16(png);
        png_set_gray_to_rgb(png);
    }
    png_set_strip_alpha(png);  // also makes libpng ignore tRNS
    int passes = png_set_interlace_handling(png);
    png_read_update_info(png, info);

    size_t row_bytes = (size_t)width * (is_gray16 ? 2 : 3);
    if (png_get_rowbytes(png, info) != row_bytes) png_error(png, "unexpected row size after transformations");
    for (int pass = 0; pass < passes; pass++) {
        for (png_uint_32 row = 0; row < height; row++) png_read_row(png, target->rgb + row * row_bytes, NULL);
    }
    if (is_gray16) widen_gray16_in_place(target->rgb, (size_t)width * height);
}

int vla_png_decode_rgb8(const uint8_t *data, size_t size, uint8_t *rgb, size_t rgb_size,
                        char *message, size_t message_capacity) {
    rgb_target target = {rgb, rgb_size};
    return run_session(data, size, message, message_capacity, decode_job, &target);
}
