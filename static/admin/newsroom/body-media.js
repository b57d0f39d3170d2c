// The body editor's "Embed" and "Picture" buttons, as two editor nodes.
//
// Registration: this module is named in DJANGO_PROSE_EDITOR_EXTENSIONS
// (settings) for the extensions "Embed" and "Picture", which the body's
// configuration turns on (articles/sanitize.py); each node adds its own
// toolbar button through `addMenuItems`. Nothing else in the editor knows
// about them.
//
// What they store is what the HTML policy keeps (articles/embeds.py):
//   <figure class="embed" data-embed-provider="…" data-embed-url="…"><a href="…">…</a></figure>
//   <figure class="picture"><img src alt width height><figcaption>caption <small>credit</small></figcaption></figure>
import { Node, crel, gettext, mergeAttributes } from "django-prose-editor/editor"

function openDialog(editor, title, fields, submitText) {
  const status = crel("p", { className: "body-media__status", role: "status" })
  const submit = crel("button", { type: "submit", textContent: submitText })
  const cancel = crel("button", { type: "button", textContent: gettext("Cancel") })
  const form = crel("form", { method: "dialog", className: "body-media" }, [
    crel("h3", { className: "prose-editor-dialog-title", textContent: title }),
    ...fields,
    status,
    crel("div", { className: "prose-editor-dialog-buttons" }, [submit, cancel]),
  ])
  const dialog = crel("dialog", { className: "prose-editor-dialog" }, [form])
  editor.view.dom.parentElement.append(dialog)
  cancel.addEventListener("click", () => dialog.close())
  dialog.addEventListener("close", () => dialog.remove())
  dialog.showModal()
  return { dialog, form, status, submit }
}

function field(label, attrs) {
  const id = `body-media-${Math.random().toString(36).slice(2)}`
  const input = crel("input", { id, ...attrs })
  return {
    input,
    dom: crel("div", { className: "prose-editor-dialog-field" }, [
      crel("label", { htmlFor: id, textContent: label }),
      input,
    ]),
  }
}

// After the selection, never over it: a node just inserted stays selected.
function insertAfterSelection(editor, content) {
  editor.chain().focus().insertContentAt(editor.state.selection.to, content).run()
}

function getJSON(url) {
  return fetch(url, {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  }).then((response) => (response.ok ? response.json() : Promise.reject(response)))
}

// Embed ---------------------------------------------------------------------

function describeEmbed(found) {
  if (!found.provider) {
    return gettext("Not a known provider: it will be inserted as a plain link.")
  }
  return found.player
    ? `${found.name}: ${gettext("readers see a button that loads it.")}`
    : `${found.name}: ${gettext("readers see a link to it.")}`
}

function embedDialog(editor, previewUrl) {
  const address = field(gettext("Address of the post, video, audio or map"), {
    type: "url",
    name: "url",
    required: true,
    size: 60,
    placeholder: "https://",
  })
  const { dialog, form, status } = openDialog(
    editor,
    gettext("Embed"),
    [address.dom],
    gettext("Insert"),
  )
  let latest = 0
  const lookUp = () => {
    const mine = ++latest
    const url = address.input.value.trim()
    if (!url) {
      status.textContent = ""
      return Promise.resolve(null)
    }
    return getJSON(`${previewUrl}?url=${encodeURIComponent(url)}`).then((found) => {
      if (mine === latest) status.textContent = describeEmbed(found)
      return found
    })
  }
  let timer = null
  address.input.addEventListener("input", () => {
    clearTimeout(timer)
    timer = setTimeout(lookUp, 200)
  })
  form.addEventListener("submit", (event) => {
    event.preventDefault()
    if (!form.reportValidity()) return
    const url = address.input.value.trim()
    lookUp().then((found) => {
      if (found?.provider) {
        insertAfterSelection(editor, {
          type: "embed",
          attrs: { provider: found.provider, url: found.url },
        })
      } else {
        insertAfterSelection(editor, {
          type: "paragraph",
          content: [{ type: "text", text: url, marks: [{ type: "link", attrs: { href: url } }] }],
        })
      }
      dialog.close()
    })
  })
}

export const Embed = Node.create({
  name: "embed",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,

  addOptions() {
    return { previewUrl: null }
  },

  addAttributes() {
    return {
      provider: {
        default: null,
        parseHTML: (element) => element.getAttribute("data-embed-provider"),
        renderHTML: (attrs) => ({ "data-embed-provider": attrs.provider }),
      },
      url: {
        default: null,
        parseHTML: (element) => element.getAttribute("data-embed-url"),
        renderHTML: (attrs) => ({ "data-embed-url": attrs.url }),
      },
    }
  },

  parseHTML() {
    // An embed whose address the HTML policy dropped is left to be read as
    // the plain link inside it.
    return [
      {
        tag: "figure.embed",
        priority: 60,
        getAttrs: (element) => (element.getAttribute("data-embed-url") ? null : false),
      },
    ]
  },

  renderHTML({ node, HTMLAttributes }) {
    return [
      "figure",
      mergeAttributes({ class: "embed" }, HTMLAttributes),
      ["a", { href: node.attrs.url }, node.attrs.url],
    ]
  },

  addMenuItems({ menu, buttons }) {
    const previewUrl = this.options.previewUrl
    menu.defineItem({
      name: "embed",
      groups: "nodes",
      // Drawn as an icon by editor-icons.js, like the editor's own buttons.
      button: buttons.material("embed", gettext("Embed a post, video, audio or map from its address")),
      command(editor) {
        embedDialog(editor, previewUrl)
      },
    })
  },
})

// Picture -------------------------------------------------------------------

function csrfToken() {
  return document.querySelector("input[name=csrfmiddlewaretoken]")?.value || ""
}

function pictureDialog(editor, libraryUrl) {
  let chosen = null
  const search = field(gettext("Search the library"), { type: "search", name: "q" })
  const results = crel("ul", { className: "body-media__library" })
  const file = field(gettext("Or upload a picture"), {
    type: "file",
    name: "file",
    accept: "image/jpeg,image/png,image/gif,image/webp",
  })
  const alt = field(gettext("Alt text (required)"), { name: "alt", required: true, size: 60 })
  const caption = field(gettext("Caption"), { name: "caption", size: 60 })
  const credit = field(gettext("Credit"), { name: "credit", size: 60 })
  const { dialog, form, status, submit } = openDialog(
    editor,
    gettext("Picture"),
    [search.dom, results, file.dom, alt.dom, caption.dom, credit.dom],
    gettext("Insert"),
  )

  const choose = (picture, button) => {
    chosen = picture
    file.input.value = ""
    alt.input.value = picture.alt
    caption.input.value = picture.caption
    credit.input.value = picture.credit
    for (const other of results.querySelectorAll("button")) {
      other.setAttribute("aria-pressed", other === button ? "true" : "false")
    }
    status.textContent = `${gettext("Chosen:")} ${picture.alt}`
  }

  const show = (pictures) => {
    results.replaceChildren(
      ...pictures.map((picture) => {
        const button = crel("button", { type: "button", "aria-pressed": "false" }, [
          crel("img", { src: picture.src, alt: "", width: 96 }),
          crel("span", { textContent: picture.alt }),
        ])
        button.addEventListener("click", () => choose(picture, button))
        return crel("li", {}, [button])
      }),
    )
    if (!pictures.length) status.textContent = gettext("No pictures found.")
  }
  const load = () =>
    getJSON(`${libraryUrl}?q=${encodeURIComponent(search.input.value.trim())}`).then(
      (data) => show(data.results),
    )
  let timer = null
  search.input.addEventListener("input", () => {
    clearTimeout(timer)
    timer = setTimeout(load, 200)
  })
  file.input.addEventListener("change", () => {
    chosen = null
    status.textContent = ""
  })
  load()

  const upload = () => {
    const body = new FormData()
    body.append("file", file.input.files[0])
    for (const input of [alt.input, caption.input, credit.input]) {
      body.append(input.name, input.value.trim())
    }
    return fetch(libraryUrl, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
    }).then((response) =>
      response.json().then((data) => {
        if (response.ok) return data
        const messages = Object.values(data.errors || {}).flat()
        throw new Error(messages.join(" ") || gettext("The upload failed."))
      }),
    )
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault()
    if (!form.reportValidity()) return
    if (!chosen && !file.input.files.length) {
      status.textContent = gettext("Choose a picture from the library or upload one.")
      return
    }
    submit.disabled = true
    const picked = chosen ? Promise.resolve(chosen) : upload()
    picked
      .then((picture) => {
        insertAfterSelection(editor, {
          type: "picture",
          attrs: {
            src: picture.src,
            alt: alt.input.value.trim(),
            width: picture.width,
            height: picture.height,
            caption: caption.input.value.trim(),
            credit: credit.input.value.trim(),
          },
        })
        dialog.close()
      })
      .catch((error) => {
        status.textContent = error.message
        submit.disabled = false
      })
  })
}

// A figure's picture, or the picture itself when read from a bare <img>.
const imageOf = (element) =>
  element.tagName === "IMG" ? element : element.querySelector("img")

const fromImage = (name) => ({
  default: null,
  parseHTML: (element) => imageOf(element)?.getAttribute(name) ?? null,
  renderHTML: () => ({}),
})

export const Picture = Node.create({
  name: "picture",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,

  addOptions() {
    return { libraryUrl: null }
  },

  addAttributes() {
    return {
      src: fromImage("src"),
      alt: fromImage("alt"),
      width: fromImage("width"),
      height: fromImage("height"),
      caption: {
        default: "",
        parseHTML: (element) => {
          const caption = element.querySelector("figcaption")?.cloneNode(true)
          caption?.querySelector("small")?.remove()
          return caption?.textContent.trim() || ""
        },
        renderHTML: () => ({}),
      },
      credit: {
        default: "",
        parseHTML: (element) =>
          element.querySelector("figcaption small")?.textContent.trim() || "",
        renderHTML: () => ({}),
      },
    }
  },

  parseHTML() {
    // Imported bodies hold plain figures and bare pictures: they become
    // pictures too, rather than being lost when the story is edited.
    const withImage = (element) => (imageOf(element)?.getAttribute("src") ? null : false)
    return [
      { tag: "figure.picture", priority: 60, getAttrs: withImage },
      { tag: "figure", priority: 55, getAttrs: withImage },
      { tag: "img[src]", priority: 55, getAttrs: withImage },
    ]
  },

  renderHTML({ node }) {
    const { src, alt, width, height, caption, credit } = node.attrs
    const image = { src, alt: alt || "" }
    if (width) image.width = width
    if (height) image.height = height
    const spec = ["figure", { class: "picture" }, ["img", image]]
    if (caption || credit) {
      const text = []
      if (caption) text.push(caption)
      if (caption && credit) text.push(" ")
      if (credit) text.push(["small", {}, credit])
      spec.push(["figcaption", {}, ...text])
    }
    return spec
  },

  addMenuItems({ menu, buttons }) {
    const libraryUrl = this.options.libraryUrl
    menu.defineItem({
      name: "picture",
      groups: "nodes",
      button: buttons.material("image", gettext("Insert a picture from the library or upload one")),
      command(editor) {
        pictureDialog(editor, libraryUrl)
      },
    })
  },
})
