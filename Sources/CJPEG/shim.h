// TurboJPEG API of libjpeg-turbo: reports decode errors through return codes (no longjmp into Swift).
#include <turbojpeg.h>
