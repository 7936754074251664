// Shim over ncursesw. Several ncurses names are macros (COLOR_PAIR, KEY_*, A_* attributes,
// getmaxyx) that Swift cannot import; the ones the terminal backend needs are wrapped here.
#ifndef M2AE_CNCURSESW_SHIM_H
#define M2AE_CNCURSESW_SHIM_H
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <ncursesw/curses.h>
#include <locale.h>

static inline int m2ae_color_pair(int n) { return (int)COLOR_PAIR(n); }
static inline int m2ae_lines(void) { return LINES; }
static inline int m2ae_cols(void) { return COLS; }
static inline WINDOW *m2ae_stdscr(void) { return stdscr; }
static inline unsigned m2ae_attr_bold(void) { return A_BOLD; }
static inline unsigned m2ae_attr_dim(void) { return A_DIM; }
static inline unsigned m2ae_attr_reverse(void) { return A_REVERSE; }
static inline unsigned m2ae_attr_underline(void) { return A_UNDERLINE; }
static inline int m2ae_key_resize(void) { return KEY_RESIZE; }
static inline int m2ae_key_mouse(void) { return KEY_MOUSE; }
static inline int m2ae_key_up(void) { return KEY_UP; }
static inline int m2ae_key_down(void) { return KEY_DOWN; }
static inline int m2ae_key_left(void) { return KEY_LEFT; }
static inline int m2ae_key_right(void) { return KEY_RIGHT; }
static inline int m2ae_key_home(void) { return KEY_HOME; }
static inline int m2ae_key_end(void) { return KEY_END; }
static inline int m2ae_key_npage(void) { return KEY_NPAGE; }
static inline int m2ae_key_ppage(void) { return KEY_PPAGE; }
static inline int m2ae_key_enter(void) { return KEY_ENTER; }
static inline int m2ae_key_backspace(void) { return KEY_BACKSPACE; }
static inline int m2ae_key_btab(void) { return KEY_BTAB; }
static inline int m2ae_key_f(int n) { return KEY_F(n); }
static inline int m2ae_err(void) { return ERR; }
/// Draws one wide-character cell with attributes and colour pair at (y, x).
static inline int m2ae_put_cell(int y, int x, const wchar_t *wch, unsigned attrs, short pair) {
    cchar_t c;
    setcchar(&c, wch, (attr_t)attrs, pair, NULL);
    return mvadd_wch(y, x, &c);
}
static inline mmask_t m2ae_all_mouse_events(void) { return ALL_MOUSE_EVENTS | REPORT_MOUSE_POSITION; }
static inline mmask_t m2ae_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t m2ae_button1_released(void) { return BUTTON1_RELEASED; }
static inline mmask_t m2ae_button1_clicked(void) { return BUTTON1_CLICKED; }
static inline mmask_t m2ae_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t m2ae_button5_pressed(void) { return BUTTON5_PRESSED; }
#endif
