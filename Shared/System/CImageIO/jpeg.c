/* JPEG decoding and encoding with libjpeg(-turbo), with errors turned into return codes.
 * See include/CImageIO.h for the contract. */
#include "CImageIO.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <jpeglib.h>
#include <jerror.h>

/* libjpeg's error manager, extended with a place to jump back to and a buffer for the message. */
typedef struct {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    char message[CIMG_ERROR_CAPACITY];
} cimg_error_mgr;

/* Replaces `error_exit`, which would print and call exit(): keep the message, jump back. */
static void cimg_error_exit(j_common_ptr cinfo) {
    cimg_error_mgr *err = (cimg_error_mgr *)cinfo->err;
    char text[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, text);
    snprintf(err->message, sizeof err->message, "%s", text);
    longjmp(err->jump, 1);
}

/* Replaces `emit_message`. Warnings are ignored, as PIL ignores them, except the one that means the
 * file ended early: libjpeg would pad the image with grey and carry on, PIL refuses a truncated image,
 * and so do we. Trace messages (level > 0) are dropped. */
static void cimg_emit_message(j_common_ptr cinfo, int level) {
    if (level < 0) {
        if (cinfo->err->msg_code == JWRN_JPEG_EOF) cimg_error_exit(cinfo);
        cinfo->err->num_warnings++;
    }
}

/* Replaces `output_message`: nothing is ever printed by the library. */
static void cimg_output_message(j_common_ptr cinfo) { (void)cinfo; }

static void cimg_install_handlers(cimg_error_mgr *err) {
    jpeg_std_error(&err->pub);
    err->pub.error_exit = cimg_error_exit;
    err->pub.emit_message = cimg_emit_message;
    err->pub.output_message = cimg_output_message;
    err->message[0] = 0;
}

struct cimg_jpeg_decoder {
    struct jpeg_decompress_struct cinfo;
    cimg_error_mgr err;
    int created;
    uint8_t *buffer;      /* RGB output, grown as needed */
    size_t capacity;
    uint8_t *row;         /* one CMYK scanline, converted to RGB into `buffer` */
    size_t row_capacity;
};

cimg_jpeg_decoder *cimg_jpeg_decoder_new(void) {
    cimg_jpeg_decoder *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->cinfo.err = (struct jpeg_error_mgr *)&d->err;
    cimg_install_handlers(&d->err);
    if (setjmp(d->err.jump)) {
        free(d);
        return NULL;
    }
    jpeg_create_decompress(&d->cinfo);
    d->created = 1;
    return d;
}

void cimg_jpeg_decoder_free(cimg_jpeg_decoder *d) {
    if (!d) return;
    if (d->created) jpeg_destroy_decompress(&d->cinfo);
    free(d->buffer);
    free(d->row);
    free(d);
}

const char *cimg_jpeg_decoder_error(const cimg_jpeg_decoder *d) { return d->err.message; }

static int cimg_reserve(uint8_t **buffer, size_t *capacity, size_t needed, cimg_jpeg_decoder *d) {
    if (needed <= *capacity) return 0;
    uint8_t *grown = realloc(*buffer, needed);
    if (!grown) {
        snprintf(d->err.message, sizeof d->err.message, "out of memory for %zu bytes of pixels", needed);
        return -1;
    }
    *buffer = grown;
    *capacity = needed;
    return 0;
}

int cimg_jpeg_decode(cimg_jpeg_decoder *d, const uint8_t *data, size_t size,
                     int min_width, int min_height, size_t max_output_bytes,
                     const uint8_t **pixels, int *width, int *height,
                     int *source_width, int *source_height) {
    struct jpeg_decompress_struct *cinfo = &d->cinfo;
    d->err.message[0] = 0;
    d->err.pub.num_warnings = 0;
    if (setjmp(d->err.jump)) {
        /* Resets the object for the next image; it keeps its memory pools. */
        jpeg_abort_decompress(cinfo);
        return -1;
    }
    jpeg_mem_src(cinfo, (const unsigned char *)data, (unsigned long)size);
    jpeg_read_header(cinfo, TRUE);
    *source_width = (int)cinfo->image_width;
    *source_height = (int)cinfo->image_height;

    int cmyk = cinfo->jpeg_color_space == JCS_CMYK || cinfo->jpeg_color_space == JCS_YCCK;
    /* libjpeg cannot turn CMYK into RGB itself: ask for CMYK and convert each row below. Every other
     * colour space (grayscale, YCbCr, RGB) is converted by libjpeg. */
    cinfo->out_color_space = cmyk ? JCS_CMYK : JCS_RGB;

    /* Scale in the DCT: 1/2, 1/4 or 1/8 skips most of the inverse transform and the upsampling, and
     * is where most of the speed of a small target comes from. Only the power-of-two scales are used
     * because libjpeg-turbo has fast reduced-size IDCTs for exactly those. */
    unsigned denom = 1;
    if (min_width > 0 && min_height > 0) {
        while (denom < 8) {
            unsigned next = denom * 2;
            unsigned long w = (cinfo->image_width + next - 1) / next;
            unsigned long h = (cinfo->image_height + next - 1) / next;
            if (w < (unsigned long)min_width || h < (unsigned long)min_height) break;
            denom = next;
        }
    }
    cinfo->scale_num = 1;
    cinfo->scale_denom = denom;
    /* When the image is decoded smaller than it is stored, it is about to be shrunk further by the
     * resize filter, which averages neighbouring pixels anyway: plain chroma replication (libjpeg's
     * merged upsampler) then costs nothing visible and skips the interpolating upsampler. */
    if (denom > 1) cinfo->do_fancy_upsampling = FALSE;
    jpeg_calc_output_dimensions(cinfo);

    size_t out_w = cinfo->output_width, out_h = cinfo->output_height;
    size_t needed = out_w * out_h * 3;
    if (max_output_bytes > 0 && needed > max_output_bytes) {
        snprintf(d->err.message, sizeof d->err.message,
                 "image of %ux%u pixels is too large to decode (limit %zu bytes)",
                 cinfo->image_width, cinfo->image_height, max_output_bytes);
        jpeg_abort_decompress(cinfo);
        return -1;
    }
    if (cimg_reserve(&d->buffer, &d->capacity, needed, d) != 0) {
        jpeg_abort_decompress(cinfo);
        return -1;
    }
    if (cmyk && cimg_reserve(&d->row, &d->row_capacity, out_w * 4, d) != 0) {
        jpeg_abort_decompress(cinfo);
        return -1;
    }

    jpeg_start_decompress(cinfo);
    /* Photoshop writes CMYK inverted (0 = full ink) and marks it with an Adobe segment; PIL reads such
     * files as inverted CMYK too. */
    int inverted = cinfo->saw_Adobe_marker;
    while (cinfo->output_scanline < cinfo->output_height) {
        uint8_t *dest = d->buffer + (size_t)cinfo->output_scanline * out_w * 3;
        if (!cmyk) {
            /* Several rows per call: libjpeg produces a whole row group at a time, and asking for
             * one row makes it keep the rest in a spare buffer and copy them out later. */
            JSAMPROW rows[16];
            JDIMENSION left = cinfo->output_height - cinfo->output_scanline;
            JDIMENSION count = left < 16 ? left : 16;
            for (JDIMENSION i = 0; i < count; i++) rows[i] = dest + (size_t)i * out_w * 3;
            jpeg_read_scanlines(cinfo, rows, count);
        } else {
            JSAMPROW rows[1] = { d->row };
            jpeg_read_scanlines(cinfo, rows, 1);
            const uint8_t *src = d->row;
            for (size_t x = 0; x < out_w; x++, src += 4, dest += 3) {
                unsigned c = src[0], m = src[1], y = src[2], k = src[3];
                if (!inverted) { c = 255 - c; m = 255 - m; y = 255 - y; k = 255 - k; }
                /* Now 255 means no ink: the colour is what the ink leaves of the white paper. */
                dest[0] = (uint8_t)((c * k + 127) / 255);
                dest[1] = (uint8_t)((m * k + 127) / 255);
                dest[2] = (uint8_t)((y * k + 127) / 255);
            }
        }
    }
    jpeg_finish_decompress(cinfo);
    *pixels = d->buffer;
    *width = (int)out_w;
    *height = (int)out_h;
    return 0;
}

int cimg_jpeg_decode_native(cimg_jpeg_decoder *d, const uint8_t *data, size_t size,
                            size_t max_output_bytes, const uint8_t **pixels,
                            int *width, int *height, int *channels) {
    struct jpeg_decompress_struct *cinfo = &d->cinfo;
    d->err.message[0] = 0;
    d->err.pub.num_warnings = 0;
    if (setjmp(d->err.jump)) {
        jpeg_abort_decompress(cinfo);
        return -1;
    }
    jpeg_mem_src(cinfo, (const unsigned char *)data, (unsigned long)size);
    /* Reading the header also resets the scale and upsampling options a previous call changed. */
    jpeg_read_header(cinfo, TRUE);
    int components;
    switch (cinfo->jpeg_color_space) {
    case JCS_GRAYSCALE: cinfo->out_color_space = JCS_GRAYSCALE; components = 1; break;
    case JCS_CMYK:
    case JCS_YCCK: cinfo->out_color_space = JCS_CMYK; components = 4; break;
    default: cinfo->out_color_space = JCS_RGB; components = 3; break;
    }
    jpeg_calc_output_dimensions(cinfo);
    size_t out_w = cinfo->output_width, out_h = cinfo->output_height;
    size_t row_bytes = out_w * (size_t)components, needed = row_bytes * out_h;
    if (max_output_bytes > 0 && needed > max_output_bytes) {
        snprintf(d->err.message, sizeof d->err.message,
                 "image of %ux%u pixels is too large to decode (limit %zu bytes)",
                 cinfo->image_width, cinfo->image_height, max_output_bytes);
        jpeg_abort_decompress(cinfo);
        return -1;
    }
    if (cimg_reserve(&d->buffer, &d->capacity, needed, d) != 0) {
        jpeg_abort_decompress(cinfo);
        return -1;
    }
    jpeg_start_decompress(cinfo);
    while (cinfo->output_scanline < cinfo->output_height) {
        JSAMPROW rows[1] = { d->buffer + (size_t)cinfo->output_scanline * row_bytes };
        jpeg_read_scanlines(cinfo, rows, 1);
    }
    /* Adobe's CMYK is stored inverted (255 = no ink); PIL undoes that ("CMYK;I"), so 0 = no ink. */
    if (components == 4 && cinfo->saw_Adobe_marker) {
        for (size_t i = 0; i < needed; i++) d->buffer[i] = (uint8_t)(255 - d->buffer[i]);
    }
    jpeg_finish_decompress(cinfo);
    *pixels = d->buffer;
    *width = (int)out_w;
    *height = (int)out_h;
    *channels = components;
    return 0;
}

int cimg_jpeg_write(const char *path, const uint8_t *pixels, int width, int height,
                    cimg_jpeg_kind kind, int quality, int progressive,
                    char error[CIMG_ERROR_CAPACITY]) {
    struct jpeg_compress_struct cinfo;
    cimg_error_mgr err;
    FILE *volatile file = NULL;
    int volatile created = 0;
    error[0] = 0;
    if (width <= 0 || height <= 0 || width > JPEG_MAX_DIMENSION || height > JPEG_MAX_DIMENSION) {
        snprintf(error, CIMG_ERROR_CAPACITY, "cannot write a %dx%d JPEG", width, height);
        return -1;
    }
    cinfo.err = (struct jpeg_error_mgr *)&err;
    cimg_install_handlers(&err);
    if (setjmp(err.jump)) {
        snprintf(error, CIMG_ERROR_CAPACITY, "%s", err.message);
        if (created) jpeg_destroy_compress(&cinfo);
        if (file) { fclose(file); remove(path); }
        return -1;
    }
    jpeg_create_compress(&cinfo);
    created = 1;
    file = fopen(path, "wb");
    if (!file) {
        snprintf(error, CIMG_ERROR_CAPACITY, "cannot open for writing: %s", strerror(errno));
        jpeg_destroy_compress(&cinfo);
        return -1;
    }
    jpeg_stdio_dest(&cinfo, file);
    cinfo.image_width = (JDIMENSION)width;
    cinfo.image_height = (JDIMENSION)height;
    int components = 3;
    switch (kind) {
    case CIMG_JPEG_GRAY: components = 1; cinfo.in_color_space = JCS_GRAYSCALE; break;
    case CIMG_JPEG_CMYK: components = 4; cinfo.in_color_space = JCS_CMYK; break;
    default: components = 3; cinfo.in_color_space = JCS_RGB; break;
    }
    cinfo.input_components = components;
    jpeg_set_defaults(&cinfo);
    /* CMYK is stored as YCCK, with the Adobe marker libjpeg writes for it. */
    if (kind == CIMG_JPEG_CMYK) jpeg_set_colorspace(&cinfo, JCS_YCCK);
    jpeg_set_quality(&cinfo, quality, TRUE);
    if (progressive) jpeg_simple_progression(&cinfo);
    jpeg_start_compress(&cinfo, TRUE);
    size_t stride = (size_t)width * components;
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW row[1] = { (JSAMPROW)(pixels + (size_t)cinfo.next_scanline * stride) };
        jpeg_write_scanlines(&cinfo, row, 1);
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    created = 0;
    if (fclose(file) != 0) {
        file = NULL;
        snprintf(error, CIMG_ERROR_CAPACITY, "error while closing the file");
        remove(path);
        return -1;
    }
    return 0;
}
