// Every legal TIFF a scanner or image tool writes is read: each variant is written here
// with libtiff, as a page with ink on its left half, and must decode with the ink there.
#include <gtest/gtest.h>
#include <leptonica/allheaders.h>
#include <tiffio.h>

#include <functional>
#include <vector>

#include "codecs/page_source.h"
#include "tests/test_util.h"

namespace postmottak {
namespace {

constexpr int kW = 96, kH = 64;

// Ink (0..1, 1 = black) at a pixel: the left half is inked, the right half is paper.
double InkAt(int x, int) { return x < kW / 2 ? 1.0 : 0.0; }

struct Variant {
  const char* name;
  uint16_t bits = 8;
  uint16_t samples = 1;
  uint16_t photometric = PHOTOMETRIC_MINISBLACK;
  uint16_t compression = COMPRESSION_NONE;
  uint16_t planar = PLANARCONFIG_CONTIG;
  bool tiled = false;
  bool alpha = false;  // the last sample is associated alpha
};

// One sample value of `bits` for a channel whose intensity is `level` (0 dark .. 1 light).
uint32_t Sample(double level, uint16_t bits) {
  return static_cast<uint32_t>(level * ((1u << bits) - 1) + 0.5);
}

// The channel values of a pixel for the variant, dark where there is ink. In the
// right half's lower rows, an alpha variant is fully transparent over black samples:
// transparent must read as paper.
std::vector<uint32_t> PixelOf(const Variant& v, int x, int y) {
  const double ink = InkAt(x, y);
  const bool transparent = v.alpha && ink == 0 && y >= kH / 2;
  const double light = transparent ? 0 : 1 - ink;
  std::vector<uint32_t> out;
  const int colour = v.samples - (v.alpha ? 1 : 0);
  if (v.photometric == PHOTOMETRIC_SEPARATED) {  // CMYK: ink in K
    out = {0, 0, 0, Sample(1 - light, v.bits)};
  } else if (v.photometric == PHOTOMETRIC_MINISWHITE) {
    out.push_back(Sample(1 - light, v.bits));
  } else if (v.photometric == PHOTOMETRIC_PALETTE) {
    out.push_back(ink > 0 ? 1 : 0);  // entry 1 is black, 0 white
  } else {
    for (int c = 0; c < colour; ++c) out.push_back(Sample(light, v.bits));
  }
  if (v.alpha) {
    // Associated alpha: colour is premultiplied, so transparent black is all zero.
    out.push_back(transparent ? 0 : Sample(1, v.bits));
  }
  return out;
}

// Packs one row of one plane (`plane` < 0: all samples interleaved) at `bits`.
std::vector<uint8_t> PackRow(const Variant& v, int y, int plane, int x0, int width) {
  std::vector<uint8_t> row;
  uint64_t acc = 0;
  int nbits = 0;
  auto put = [&](uint32_t value) {
    if (v.bits == 16) {  // native byte order: libtiff swaps as needed
      uint16_t s = static_cast<uint16_t>(value);
      row.push_back(reinterpret_cast<uint8_t*>(&s)[0]);
      row.push_back(reinterpret_cast<uint8_t*>(&s)[1]);
      return;
    }
    acc = (acc << v.bits) | value;
    nbits += v.bits;
    while (nbits >= 8) {
      row.push_back(static_cast<uint8_t>(acc >> (nbits - 8)));
      nbits -= 8;
    }
  };
  for (int x = x0; x < x0 + width; ++x) {
    auto px = x < kW ? PixelOf(v, x, y) : std::vector<uint32_t>(v.samples, 0);
    if (plane < 0) {
      for (uint32_t s : px) put(s);
    } else {
      put(px[plane]);
    }
  }
  if (nbits > 0) row.push_back(static_cast<uint8_t>(acc << (8 - nbits)));
  return row;
}

void WriteVariant(const std::string& path, const Variant& v) {
  TIFF* tif = TIFFOpen(path.c_str(), "w");
  ASSERT_NE(tif, nullptr);
  TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, kW);
  TIFFSetField(tif, TIFFTAG_IMAGELENGTH, kH);
  TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, v.bits);
  TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, v.samples);
  TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, v.photometric);
  TIFFSetField(tif, TIFFTAG_COMPRESSION, v.compression);
  TIFFSetField(tif, TIFFTAG_PLANARCONFIG, v.planar);
  TIFFSetField(tif, TIFFTAG_XRESOLUTION, 300.0f);
  TIFFSetField(tif, TIFFTAG_YRESOLUTION, 300.0f);
  TIFFSetField(tif, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
  if (v.photometric == PHOTOMETRIC_SEPARATED) TIFFSetField(tif, TIFFTAG_INKSET, INKSET_CMYK);
  if (v.alpha) {
    uint16_t extra = EXTRASAMPLE_ASSOCALPHA;
    TIFFSetField(tif, TIFFTAG_EXTRASAMPLES, 1, &extra);
  }
  if (v.compression == COMPRESSION_JPEG) TIFFSetField(tif, TIFFTAG_JPEGQUALITY, 90);
  if (v.photometric == PHOTOMETRIC_PALETTE) {
    const int n = 1 << v.bits;
    std::vector<uint16_t> r(n, 0), g(n, 0), b(n, 0);
    r[0] = g[0] = b[0] = 65535;  // entry 0 white, entry 1 black
    TIFFSetField(tif, TIFFTAG_COLORMAP, r.data(), g.data(), b.data());
  }
  const int planes = v.planar == PLANARCONFIG_SEPARATE ? v.samples : 1;
  if (v.tiled) {
    const int tw = 32, th = 32;  // tile sides are multiples of 16
    TIFFSetField(tif, TIFFTAG_TILEWIDTH, tw);
    TIFFSetField(tif, TIFFTAG_TILELENGTH, th);
    for (int p = 0; p < planes; ++p)
      for (int ty = 0; ty < kH; ty += th)
        for (int tx = 0; tx < kW; tx += tw) {
          std::vector<uint8_t> tile;
          for (int y = ty; y < ty + th; ++y) {
            auto row = PackRow(v, std::min(y, kH - 1), planes > 1 ? p : -1, tx, tw);
            tile.insert(tile.end(), row.begin(), row.end());
          }
          ASSERT_GE(TIFFWriteTile(tif, tile.data(), tx, ty, 0, static_cast<uint16_t>(p)), 0);
        }
  } else {
    TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, 16);
    for (int p = 0; p < planes; ++p)
      for (int y = 0; y < kH; ++y) {
        auto row = PackRow(v, y, planes > 1 ? p : -1, 0, kW);
        ASSERT_GE(TIFFWriteScanline(tif, row.data(), y, static_cast<uint16_t>(p)), 0);
      }
  }
  TIFFClose(tif);
}

class TiffVariantTest : public ::testing::TestWithParam<Variant> {};

TEST_P(TiffVariantTest, DecodesWithTheInkWhereItWasWritten) {
  const Variant& v = GetParam();
  test::TempDir dir;
  const std::string path = dir / (std::string(v.name) + ".tif");
  WriteVariant(path, v);
  auto source = PageSource::Open(path);
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  auto page = (*source)->ReadPage(0);
  ASSERT_TRUE(page.ok()) << v.name << ": " << page.status().ToString();
  ASSERT_EQ(page->width(), kW);
  ASSERT_EQ(page->height(), kH);
  Image gray = ToGray(*page);
  // Away from the edge, where JPEG blurs: ink dark, paper (transparent paper too) light.
  for (int y = 4; y < kH - 4; y += 8) {
    for (int x : {8, 20, 36, kW / 2 + 8, kW / 2 + 24, kW - 6}) {
      l_uint32 value = 0;
      pixGetPixel(gray.get(), x, y, &value);
      if (InkAt(x, y) > 0) {
        EXPECT_LT(value, 80u) << v.name << " at " << x << "," << y;
      } else {
        EXPECT_GT(value, 180u) << v.name << " at " << x << "," << y;
      }
    }
  }
}

Variant V(const char* name, uint16_t bits, uint16_t samples, uint16_t photometric,
          uint16_t compression = COMPRESSION_NONE) {
  Variant v;
  v.name = name;
  v.bits = bits;
  v.samples = samples;
  v.photometric = photometric;
  v.compression = compression;
  return v;
}
Variant With(Variant v, std::function<void(Variant&)> change) {
  change(v);
  return v;
}

INSTANTIATE_TEST_SUITE_P(
    Variants, TiffVariantTest,
    ::testing::Values(
        V("bitonal_min_is_white_g4", 1, 1, PHOTOMETRIC_MINISWHITE, COMPRESSION_CCITTFAX4),
        V("bitonal_min_is_black", 1, 1, PHOTOMETRIC_MINISBLACK),
        V("gray8_min_is_black", 8, 1, PHOTOMETRIC_MINISBLACK),
        V("gray8_min_is_white", 8, 1, PHOTOMETRIC_MINISWHITE),
        V("gray16", 16, 1, PHOTOMETRIC_MINISBLACK), V("gray4", 4, 1, PHOTOMETRIC_MINISBLACK),
        With(V("gray8_alpha", 8, 2, PHOTOMETRIC_MINISBLACK), [](Variant& v) { v.alpha = true; }),
        With(V("gray16_alpha", 16, 2, PHOTOMETRIC_MINISBLACK), [](Variant& v) { v.alpha = true; }),
        V("palette8", 8, 1, PHOTOMETRIC_PALETTE), V("palette4", 4, 1, PHOTOMETRIC_PALETTE),
        V("rgb8", 8, 3, PHOTOMETRIC_RGB), V("rgb16", 16, 3, PHOTOMETRIC_RGB),
        With(V("rgba8", 8, 4, PHOTOMETRIC_RGB), [](Variant& v) { v.alpha = true; }),
        With(V("rgb8_planar", 8, 3, PHOTOMETRIC_RGB),
             [](Variant& v) { v.planar = PLANARCONFIG_SEPARATE; }),
        With(V("gray8_tiled", 8, 1, PHOTOMETRIC_MINISBLACK), [](Variant& v) { v.tiled = true; }),
        With(V("rgb8_tiled_planar_deflate", 8, 3, PHOTOMETRIC_RGB, COMPRESSION_ADOBE_DEFLATE),
             [](Variant& v) {
               v.tiled = true;
               v.planar = PLANARCONFIG_SEPARATE;
             }),
        V("cmyk8", 8, 4, PHOTOMETRIC_SEPARATED), V("cmyk16", 16, 4, PHOTOMETRIC_SEPARATED),
        V("gray8_jpeg", 8, 1, PHOTOMETRIC_MINISBLACK, COMPRESSION_JPEG),
        V("rgb8_jpeg", 8, 3, PHOTOMETRIC_RGB, COMPRESSION_JPEG),
        V("gray8_deflate", 8, 1, PHOTOMETRIC_MINISBLACK, COMPRESSION_ADOBE_DEFLATE),
        V("gray8_lzw", 8, 1, PHOTOMETRIC_MINISBLACK, COMPRESSION_LZW),
        V("gray8_packbits", 8, 1, PHOTOMETRIC_MINISBLACK, COMPRESSION_PACKBITS),
        V("bitonal_packbits", 1, 1, PHOTOMETRIC_MINISWHITE, COMPRESSION_PACKBITS)),
    [](const ::testing::TestParamInfo<Variant>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace postmottak
