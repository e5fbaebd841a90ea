/* PNG reading and writing with libpng, with errors turned into return codes.
 * See include/CImageIO.h for the contract. */
#include "CImageIO.h"

#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <png.h>

/* Largest side we accept, and largest decoded size: a corrupt header must not make us allocate
 * gigabytes. */
#define CIMG_PNG_MAX_SIDE 30000
#define CIMG_PNG_MAX_BYTES ((size_t)1 << 30)

/* libpng's error callback must not return: keep the message, jump back to the wrapper. */
static void cimg_png_error(png_structp png, png_const_charp message) {
    char *error = (char *)png_get_error_ptr(png);
    snprintf(error, CIMG_ERROR_CAPACITY, "%s", message);
    png_longjmp(png, 1);
}

/* Warnings (unknown chunks, bad gamma values…) are not worth failing over, nor printing. */
static void cimg_png_warning(png_structp png, png_const_charp message) { (void)png; (void)message; }

typedef struct {
    const uint8_t *data;
    size_t size;
    size_t position;
} cimg_memory_source;

static void cimg_png_read_memory_fn(png_structp png, png_bytep out, png_size_t count) {
    cimg_memory_source *source = (cimg_memory_source *)png_get_io_ptr(png);
    if (count > source->size - source->position) png_error(png, "file ends early (truncated PNG)");
    memcpy(out, source->data + source->position, count);
    source->position += count;
}

/* The shared body of both readers: `file` or `memory` is set. */
static int cimg_png_read_any(FILE *file, cimg_memory_source *memory, uint8_t **pixels,
                             int *width, int *height, char error[CIMG_ERROR_CAPACITY]) {
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, error, cimg_png_error, cimg_png_warning);
    if (!png) { snprintf(error, CIMG_ERROR_CAPACITY, "libpng could not start"); return -1; }
    png_infop info = png_create_info_struct(png);
    uint8_t *volatile buffer = NULL;
    png_bytep *volatile rows = NULL;
    if (!info || setjmp(png_jmpbuf(png))) {
        if (!info) snprintf(error, CIMG_ERROR_CAPACITY, "libpng could not start");
        png_destroy_read_struct(&png, info ? &info : NULL, NULL);
        free(buffer);
        free(rows);
        return -1;
    }
    if (file) png_init_io(png, file);
    else png_set_read_fn(png, memory, cimg_png_read_memory_fn);
    png_set_user_limits(png, CIMG_PNG_MAX_SIDE, CIMG_PNG_MAX_SIDE);
    png_read_info(png, info);

    /* Whatever the file holds, ask libpng for 8-bit RGB: expand palettes and low bit depths, reduce
     * 16-bit samples, drop alpha (as PIL's convert('RGB') does), spread grey over three channels. */
    png_set_expand(png);
    png_set_strip_16(png);
    png_set_strip_alpha(png);
    png_set_gray_to_rgb(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);

    png_uint_32 w = png_get_image_width(png, info), h = png_get_image_height(png, info);
    size_t rowbytes = png_get_rowbytes(png, info);
    if (rowbytes != (size_t)w * 3) png_error(png, "unexpected pixel layout after conversion to RGB");
    if ((size_t)h * rowbytes > CIMG_PNG_MAX_BYTES) png_error(png, "image is too large to decode");
    buffer = malloc((size_t)h * rowbytes + 1);
    rows = malloc(sizeof(png_bytep) * (h + 1));
    if (!buffer || !rows) png_error(png, "out of memory");
    for (png_uint_32 y = 0; y < h; y++) rows[y] = buffer + (size_t)y * rowbytes;
    png_read_image(png, rows);
    png_read_end(png, NULL);
    png_destroy_read_struct(&png, &info, NULL);
    free(rows);
    *pixels = buffer;
    *width = (int)w;
    *height = (int)h;
    return 0;
}

int cimg_png_read(const char *path, uint8_t **pixels, int *width, int *height,
                  char error[CIMG_ERROR_CAPACITY]) {
    error[0] = 0;
    FILE *file = fopen(path, "rb");
    if (!file) { snprintf(error, CIMG_ERROR_CAPACITY, "cannot open: %s", strerror(errno)); return -1; }
    uint8_t signature[8];
    size_t got = fread(signature, 1, 8, file);
    if (got != 8 || png_sig_cmp(signature, 0, 8) != 0) {
        fclose(file);
        snprintf(error, CIMG_ERROR_CAPACITY, got == 0 ? "empty file" : "not a PNG file (bad signature)");
        return -1;
    }
    rewind(file);
    int result = cimg_png_read_any(file, NULL, pixels, width, height, error);
    fclose(file);
    return result;
}

int cimg_png_read_memory(const uint8_t *data, size_t size, uint8_t **pixels, int *width, int *height,
                         char error[CIMG_ERROR_CAPACITY]) {
    error[0] = 0;
    if (size < 8 || png_sig_cmp(data, 0, 8) != 0) {
        snprintf(error, CIMG_ERROR_CAPACITY, size == 0 ? "empty file" : "not a PNG file (bad signature)");
        return -1;
    }
    cimg_memory_source source = { data, size, 0 };
    return cimg_png_read_any(NULL, &source, pixels, width, height, error);
}

int cimg_png_write(const char *path, const uint8_t *pixels, int width, int height,
                   const char *text_key, const char *text_value,
                   char error[CIMG_ERROR_CAPACITY]) {
    error[0] = 0;
    if (width <= 0 || height <= 0) {
        snprintf(error, CIMG_ERROR_CAPACITY, "cannot write a %dx%d PNG", width, height);
        return -1;
    }
    FILE *file = fopen(path, "wb");
    if (!file) { snprintf(error, CIMG_ERROR_CAPACITY, "cannot open for writing: %s", strerror(errno)); return -1; }
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, error, cimg_png_error, cimg_png_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!png || !info) {
        snprintf(error, CIMG_ERROR_CAPACITY, "libpng could not start");
        if (png) png_destroy_write_struct(&png, NULL);
        fclose(file);
        remove(path);
        return -1;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        fclose(file);
        remove(path);
        return -1;
    }
    png_init_io(png, file);
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (text_key && text_value) {
        png_text text;
        memset(&text, 0, sizeof text);
        text.compression = PNG_TEXT_COMPRESSION_NONE;
        text.key = (png_charp)text_key;
        text.text = (png_charp)text_value;
        png_set_text(png, info, &text, 1);
    }
    png_write_info(png, info);
    for (int y = 0; y < height; y++) png_write_row(png, (png_const_bytep)(pixels + (size_t)y * width * 3));
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    if (fclose(file) != 0) {
        snprintf(error, CIMG_ERROR_CAPACITY, "error while closing the file: %s", strerror(errno));
        remove(path);
        return -1;
    }
    return 0;
}
