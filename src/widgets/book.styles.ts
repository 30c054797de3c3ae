/** The widget's chrome (button, backdrop, dialog), adopted by its shadow roots: no inline styles. */
export const WIDGET_CSS = `
.book{font:600 15px/1.2 system-ui,sans-serif;padding:10px 18px;border:0;border-radius:8px;background:#1f4fd1;color:#fff;cursor:pointer}
.book:hover{background:#183fa8}
.book:focus-visible,.close:focus-visible{outline:3px solid #f5a623;outline-offset:2px}
.backdrop{position:fixed;inset:0;background:rgba(15,23,42,.55);z-index:2147483646}
.dialog{position:fixed;z-index:2147483647;top:50%;left:50%;transform:translate(-50%,-50%);width:min(760px,calc(100vw - 24px));height:min(780px,calc(100vh - 24px));background:#fff;border-radius:12px;box-shadow:0 20px 60px rgba(0,0,0,.35);overflow:hidden}
.frame{border:0;width:100%;height:100%;display:block}
.close{position:absolute;top:6px;right:8px;width:36px;height:36px;border:0;border-radius:50%;background:#eef1f6;color:#111;font:24px/1 system-ui,sans-serif;cursor:pointer}
.sentinel{position:absolute;width:1px;height:1px;overflow:hidden}
`
