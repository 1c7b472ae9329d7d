// libpng reports errors by longjmp-ing out of its error callback, which Swift cannot catch.
// These functions do a whole encode or decode behind one setjmp and return 0 on success or
// 1 with libpng's message copied into `message` (CPNG_MESSAGE_SIZE bytes, NUL-terminated).
// Nothing longjmps across a Swift frame: the only Swift code libpng calls is the encoder's
// write callback, which never raises a libpng error.
#ifndef GRAFT_CPNG_SHIM_H
#define GRAFT_CPNG_SHIM_H

#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CPNG_MESSAGE_SIZE 256
/// Decoded images larger than this many pixels are refused (a header can claim any size).
#define CPNG_MAX_PIXELS ((size_t)1 << 28)

/// Receives the encoded bytes, in order, possibly over many calls.
typedef void (*cpng_write_callback)(void *context, const unsigned char *bytes, size_t count);

/// A decoded image: 8-bit samples, `channels` (1 grey, 2 grey+alpha, 3 RGB, 4 RGBA) per pixel,
/// rows top to bottom; `pixels` is malloc'd and released with cpng_free.
typedef struct {
    unsigned char *pixels;
    uint32_t width;
    uint32_t height;
    int channels;
} cpng_image;

static inline void cpng_set_message(char *message, const char *text) {
    if (!message) return;
    strncpy(message, text ? text : "unknown libpng error", CPNG_MESSAGE_SIZE - 1);
    message[CPNG_MESSAGE_SIZE - 1] = 0;
}

static inline void cpng_on_error(png_structp png, png_const_charp text) {
    cpng_set_message((char *)png_get_error_ptr(png), text);
    png_longjmp(png, 1);
}

static inline void cpng_on_warning(png_structp png, png_const_charp text) {
    (void)png;
    (void)text;
}

typedef struct {
    cpng_write_callback write;
    void *context;
} cpng_sink;

static inline void cpng_write_data(png_structp png, png_bytep data, size_t length) {
    cpng_sink *sink = (cpng_sink *)png_get_io_ptr(png);
    sink->write(sink->context, data, length);
}

static inline void cpng_flush_data(png_structp png) { (void)png; }

/// Encodes `height` rows of `width` 8-bit pixels with `channels` samples each (1 to 4),
/// tightly packed, non-interlaced, at zlib `compression_level` (0 to 9).
static inline int cpng_encode(const unsigned char *pixels, uint32_t width, uint32_t height, int channels,
                              int compression_level, cpng_write_callback write, void *context, char *message) {
    int color;
    switch (channels) {
    case 1: color = PNG_COLOR_TYPE_GRAY; break;
    case 2: color = PNG_COLOR_TYPE_GRAY_ALPHA; break;
    case 3: color = PNG_COLOR_TYPE_RGB; break;
    case 4: color = PNG_COLOR_TYPE_RGB_ALPHA; break;
    default: cpng_set_message(message, "channels must be 1 to 4"); return 1;
    }
    if (!pixels || !write || width == 0 || height == 0) {
        cpng_set_message(message, "empty image");
        return 1;
    }
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, message, cpng_on_error, cpng_on_warning);
    if (!png) { cpng_set_message(message, "libpng could not allocate a writer"); return 1; }
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_write_struct(&png, NULL);
        cpng_set_message(message, "libpng could not allocate image info");
        return 1;
    }
    cpng_sink sink = { write, context };
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return 1;
    }
    png_set_write_fn(png, &sink, cpng_write_data, cpng_flush_data);
    png_set_IHDR(png, info, width, height, 8, color, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(png, compression_level);
    png_write_info(png, info);
    size_t stride = (size_t)width * (size_t)channels;
    for (uint32_t y = 0; y < height; y++) png_write_row(png, pixels + (size_t)y * stride);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    return 0;
}

typedef struct {
    const unsigned char *data;
    size_t size;
    size_t offset;
} cpng_source;

static inline void cpng_read_data(png_structp png, png_bytep out, size_t length) {
    cpng_source *source = (cpng_source *)png_get_io_ptr(png);
    if (length > source->size - source->offset) png_error(png, "truncated PNG data");
    memcpy(out, source->data + source->offset, length);
    source->offset += length;
}

/// Decodes a whole PNG held in memory into 8-bit samples: palettes become RGB, grey below
/// 8 bits is widened, 16-bit samples are narrowed, and a tRNS chunk becomes an alpha channel.
static inline int cpng_decode(const unsigned char *data, size_t size, cpng_image *image, char *message) {
    image->pixels = NULL;
    image->width = 0;
    image->height = 0;
    image->channels = 0;
    if (!data || size < 8 || png_sig_cmp(data, 0, 8) != 0) {
        cpng_set_message(message, "not a PNG file: the 8-byte signature is missing");
        return 1;
    }
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, message, cpng_on_error, cpng_on_warning);
    if (!png) { cpng_set_message(message, "libpng could not allocate a reader"); return 1; }
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_read_struct(&png, NULL, NULL);
        cpng_set_message(message, "libpng could not allocate image info");
        return 1;
    }
    cpng_source source = { data, size, 0 };
    unsigned char *volatile pixels = NULL;
    png_bytep *volatile rows = NULL;
    if (setjmp(png_jmpbuf(png))) {
        free(rows);
        free(pixels);
        png_destroy_read_struct(&png, &info, NULL);
        return 1;
    }
    png_set_read_fn(png, &source, cpng_read_data);
    png_read_info(png, info);
    png_uint_32 width = png_get_image_width(png, info);
    png_uint_32 height = png_get_image_height(png, info);
    if (width == 0 || height == 0 || (size_t)width * (size_t)height > CPNG_MAX_PIXELS)
        png_error(png, "image dimensions are zero or too large");
    png_set_expand(png);
    png_set_strip_16(png);
    (void)png_set_interlace_handling(png);
    png_read_update_info(png, info);
    int channels = png_get_channels(png, info);
    size_t rowbytes = png_get_rowbytes(png, info);
    if (channels < 1 || channels > 4 || png_get_bit_depth(png, info) != 8 || rowbytes != (size_t)width * (size_t)channels)
        png_error(png, "unsupported pixel layout after conversion to 8 bits");
    pixels = (unsigned char *)malloc(rowbytes * height);
    rows = (png_bytep *)malloc(sizeof(png_bytep) * height);
    if (!pixels || !rows) png_error(png, "out of memory");
    for (png_uint_32 y = 0; y < height; y++) rows[y] = pixels + (size_t)y * rowbytes;
    png_read_image(png, rows);
    png_read_end(png, NULL);
    free(rows);
    png_destroy_read_struct(&png, &info, NULL);
    image->pixels = pixels;
    image->width = width;
    image->height = height;
    image->channels = channels;
    return 0;
}

/// Releases the pixels of a cpng_image.
static inline void cpng_free(void *pointer) { free(pointer); }

#endif
