/* CImageIO: the C side of the workbook's image I/O.
 *
 * libjpeg and libpng report errors by calling a handler that, by default, prints and exits the
 * process. These wrappers install handlers that longjmp back into the wrapper, which returns -1 and
 * leaves libjpeg's/libpng's message in the object's error buffer; Swift turns that into an error
 * naming the file. Nothing here exits, aborts or prints.
 */
#ifndef CIMAGEIO_H
#define CIMAGEIO_H

#include <stddef.h>
#include <stdint.h>

#define CIMG_ERROR_CAPACITY 256

/* ---- JPEG decoding ---------------------------------------------------------------------------- */

/* A reusable JPEG decoder: one per thread. It keeps its libjpeg state and its output buffer between
 * images, so decoding a stream of files allocates nothing once the buffer has grown. */
typedef struct cimg_jpeg_decoder cimg_jpeg_decoder;

cimg_jpeg_decoder *cimg_jpeg_decoder_new(void);
void cimg_jpeg_decoder_free(cimg_jpeg_decoder *decoder);

/* Decodes the JPEG in `data[0..<size]` to 8-bit RGB (grayscale is expanded, CMYK/YCCK converted).
 * When `min_width`/`min_height` are positive, libjpeg scales by 1/2, 1/4 or 1/8 in the DCT, choosing the
 * smallest scale whose output is still at least that big; 0 decodes at full size.
 * On success returns 0 and sets `*pixels` (owned by the decoder, valid until the next call), `*width`,
 * `*height`, and `*source_width`/`*source_height` (the size stored in the file).
 * On failure returns -1; `cimg_jpeg_decoder_error` holds the message. */
int cimg_jpeg_decode(cimg_jpeg_decoder *decoder, const uint8_t *data, size_t size,
                     int min_width, int min_height, size_t max_output_bytes,
                     const uint8_t **pixels, int *width, int *height,
                     int *source_width, int *source_height);

/* Decodes the JPEG at full size keeping the file's colour model, as PIL's `Image.open` does before
 * any `convert`: grayscale gives 1 byte a pixel, CMYK/YCCK 4 (0 = no ink, Adobe's inversion undone),
 * everything else RGB, 3. On success returns 0 and sets `*pixels` (owned by the decoder, valid until
 * the next call), `*width`, `*height` and `*channels`; on failure returns -1. */
int cimg_jpeg_decode_native(cimg_jpeg_decoder *decoder, const uint8_t *data, size_t size,
                            size_t max_output_bytes, const uint8_t **pixels,
                            int *width, int *height, int *channels);

const char *cimg_jpeg_decoder_error(const cimg_jpeg_decoder *decoder);

/* ---- JPEG encoding ---------------------------------------------------------------------------- */

typedef enum {
    CIMG_JPEG_RGB = 0,       /* pixels: 3 bytes each, stored as YCbCr */
    CIMG_JPEG_GRAY = 1,      /* pixels: 1 byte each */
    CIMG_JPEG_CMYK = 2       /* pixels: 4 bytes each, Adobe (inverted) convention, stored as YCCK */
} cimg_jpeg_kind;

/* Encodes `pixels` and writes the file at `path`. Returns 0, or -1 with the message in `error`. */
int cimg_jpeg_write(const char *path, const uint8_t *pixels, int width, int height,
                    cimg_jpeg_kind kind, int quality, int progressive,
                    char error[CIMG_ERROR_CAPACITY]);

/* ---- PNG -------------------------------------------------------------------------------------- */

/* Reads any PNG as 8-bit RGB (palette and grayscale expanded, 16-bit reduced, alpha dropped).
 * On success returns 0 and `*pixels` is a malloc'd buffer of width*height*3 bytes the caller frees. */
int cimg_png_read(const char *path, uint8_t **pixels, int *width, int *height,
                  char error[CIMG_ERROR_CAPACITY]);

/* The same, from bytes already in memory. */
int cimg_png_read_memory(const uint8_t *data, size_t size, uint8_t **pixels, int *width, int *height,
                         char error[CIMG_ERROR_CAPACITY]);

/* Writes 8-bit RGB pixels as a PNG. `text_key`/`text_value` (both may be NULL) add one tEXt chunk. */
int cimg_png_write(const char *path, const uint8_t *pixels, int width, int height,
                   const char *text_key, const char *text_value,
                   char error[CIMG_ERROR_CAPACITY]);

#endif
