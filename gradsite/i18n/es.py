"""The interface's words in Spanish (the keys and placeholders of en.py)."""

WORDS: dict[str, str] = {
    "page.skip": "Ir al contenido",
    "page.built_with": "Creado con {generator}",
    "search.label": "Buscar en el curso",
    "search.placeholder": "Buscar",
    "search.close": "Cerrar",
    "search.results": "Resultados de la búsqueda",
    "search.loading": "Cargando la búsqueda\u2026",
    "search.failed": "No se pudo cargar la búsqueda. Vuelva a cargar la página para "
                     "intentarlo de nuevo.",
    "search.none": "No hay resultados para \u00ab{query}\u00bb",
    "search.count.one": "{count} resultado",
    "search.count.other": "{count} resultados",
    "home.eyebrow": "Curso",
    "home.review": "{link}Repasar las preguntas{/link} respondidas mal o aún sin intentar",
    "home.print": "Imprimir todo el curso",
    "label.section": "Parte {section}",
    "label.chapter": "Parte {section}. Capítulo {chapter}",
    "nav.course": "Curso",
    "nav.menu": "Menú",
    "nav.home": "Inicio del curso",
    "progress.summary": "{done} de {total} capítulos completados ({percent})",
    "progress.reset": "Restablecer el progreso",
    "progress.export": "Exportar el progreso",
    "progress.import": "Importar un progreso",
    "progress.reset_confirm": "¿Restablecer su progreso en este curso? Se olvidarán sus "
                              "respuestas y los capítulos completados en este navegador.",
    "progress.reset_done": "Progreso restablecido.",
    "progress.reset_here": "Progreso restablecido solo en esta página.",
    "progress.saved_as": "Progreso guardado como {file}.",
    "progress.unsaved": "Su progreso no se puede guardar en este navegador (el almacenamiento "
                        "está bloqueado o lleno); se conservará hasta que salga de esta página.",
    "progress.storage": "Almacenamiento del progreso",
    "transfer.unreadable": "No se pudo leer {file}.",
    "transfer.not_progress": "{file} no es un archivo de progreso de este sitio (o es de una "
                             "versión anterior): no se ha cambiado nada.",
    "transfer.other_course": "{file} contiene el progreso de otro curso: no se ha cambiado "
                             "nada.",
    "transfer.no_chapter": "{file} no contiene ningún capítulo de este curso ({ignored}): no "
                           "se ha cambiado nada.",
    "transfer.chapters.one": "{count} capítulo",
    "transfer.chapters.other": "{count} capítulos",
    "transfer.ignored.one": "se ha ignorado {count} capítulo que no es de este curso",
    "transfer.ignored.other": "se han ignorado {count} capítulos que no son de este curso",
    "transfer.both": "{chapters}; {ignored}",
    "transfer.imported": "Progreso importado de {file} ({chapters}).",
    "transfer.not_saved": "El progreso de {file} ({chapters}) se muestra en esta página, pero "
                          "no se ha guardado.",
    "toc.title": "En esta página",
    "chapter.draft": "Borrador",
    "chapter.end": "Progreso del capítulo",
    "chapter.mark_done": "Marcar el capítulo como terminado",
    "chapter.completed": "Capítulo completado",
    "chapter.completed_note": "(completado)",
    "clarity.question": "¿Ha quedado todo claro?",
    "clarity.yes": "Sí",
    "clarity.no": "No",
    "clarity.tell": "Escribir al autor",
    "clarity.thanks_yes": "¡Gracias!",
    "clarity.thanks_no": "Gracias.",
    "clarity.saved": "Su respuesta está guardada en este navegador.",
    "clarity.tell_more": "Cuéntele al autor qué no quedó claro con el enlace de arriba.",
    "pager.label": "Capítulo anterior y siguiente",
    "pager.previous": "Anterior",
    "pager.next": "Siguiente",
    "heading.link": "Enlace a la sección: {heading}",
    "footnote.back": "Volver al texto de la nota {number}",
    "chapter.notebook": "Descargar el notebook",
    "chapter.copy_ai": "Copiar este capítulo para un asistente de IA",
    "chapter.copy_ai_link": "Este capítulo en Markdown, para un asistente de IA",
    "chapter.copy_ai_done": "Copiado: péguelo en el chat de su asistente de IA.",
    "chapter.copy_ai_failed": "No se pudo copiar: abra el Markdown y cópielo a mano.",
    "code.copy": "Copiar",
    "code.copy_what": "el código",
    "code.copied": "Copiado",
    "code.copied_note": "Código copiado al portapapeles",
    "code.copy_failed": "No se pudo copiar: seleccione el código y cópielo a mano",
    "kind.figure": "Figura",
    "kind.table": "Tabla",
    "kind.definition": "Definición",
    "kind.theorem": "Teorema",
    "kind.lemma": "Lema",
    "kind.proposition": "Proposición",
    "kind.corollary": "Corolario",
    "kind.example": "Ejemplo",
    "kind.remark": "Observación",
    "kind.exercise": "Ejercicio",
    "kind.proof": "Demostración",
    "proof.end": "Fin de la demostración",
    "exercise.solution": "Mostrar la solución",
    "exercise.hint": "Mostrar una pista",
    "exercise.hint_numbered": "Mostrar la pista {number}",
    "exercise.viewed": "Vista",
    "admonition.note": "Nota",
    "admonition.tip": "Consejo",
    "admonition.warning": "Advertencia",
    "admonition.important": "Importante",
    "admonition.caution": "Precaución",
    "admonition.danger": "Peligro",
    "admonition.info": "Información",
    # The chapter's notebook and its Markdown copy (llms.txt)
    "notebook.setup": "Tal como el sitio del curso ejecuta las celdas de este capítulo: con las "
                      "funciones declaradas y sus gradientes, el estilo de figuras del sitio y "
                      "números aleatorios con semilla fija.",
    "notebook.functions_intro": "Las funciones que declara este capítulo; la celda siguiente "
                                "las define en Python, cada una con su gradiente:",
    "notebook.interactive": "En la página del curso, esta figura es interactiva.",
    "copy.question": "Pregunta.",
    "copy.image": "Imagen",
    "copy.interactive": "Figura interactiva",
    "copy.macros": "Las fórmulas usan estas macros de LaTeX:",
    "llms.about": "Cada capítulo de abajo enlaza con una copia en Markdown de su página: las "
                  "matemáticas en LaTeX, el código con su salida, las figuras por sus leyendas "
                  "y descripciones, y las preguntas sin sus respuestas.",
    "plot.descent": "descenso de gradiente",
    "plot.start": "inicio {point}",
    "plot.end.one": "fin tras {count} paso {point}",
    "plot.end.other": "fin tras {count} pasos {point}",
    "plot.outside": "{point}, fuera del gráfico",
    "plot.tangent": "tangente en {variable} = {at}, pendiente {slope}",
    "alt.over": "para {ranges}",
    "alt.range": "{variable} de {low} a {high}",
    "alt.and": "{first} y {last}",
    "alt.quiver": "Campo vectorial del gradiente de {function} {over}: cada flecha apunta "
                  "cuesta arriba, en la dirección de máximo ascenso, y su longitud y su color "
                  "muestran cuánta pendiente tiene allí la función.",
    "alt.contour": "Curvas de nivel de {function} {over}: los conjuntos de nivel de la "
                   "función, con flechas del gradiente que los cruzan en ángulo recto y "
                   "apuntan cuesta arriba.",
    "alt.surface": "Superficie de {function} {over}, coloreada según la altura.",
    "alt.surface_values": "Superficie de {function} {over}, coloreada según la altura; los "
                          "valores van de {low} a {high}.",
    "alt.curve": "Gráfica de {function} {over}.",
    "alt.curve_tangents": "Gráfica de {function} {over}, con rectas tangentes en {variable} = "
                          "{points}.",
    "alt.momentum": ", momento {momentum}",
    "alt.descent.one": "Curvas de nivel de {function} {over} con el camino del descenso de "
                       "gradiente desde {start}, tasa de aprendizaje {rate}{momentum}, durante "
                       "{count} paso, hasta {end}, donde {name} = {value}.",
    "alt.descent.other": "Curvas de nivel de {function} {over} con el camino del descenso de "
                         "gradiente desde {start}, tasa de aprendizaje {rate}{momentum}, "
                         "durante {count} pasos, hasta {end}, donde {name} = {value}.",
    "alt.diverged.one": "Curvas de nivel de {function} {over} con el camino del descenso de "
                        "gradiente desde {start}, tasa de aprendizaje {rate}{momentum}: los "
                        "iterados divergen y salen de todo límite tras {count} paso.",
    "alt.diverged.other": "Curvas de nivel de {function} {over} con el camino del descenso de "
                          "gradiente desde {start}, tasa de aprendizaje {rate}{momentum}: los "
                          "iterados divergen y salen de todo límite tras {count} pasos.",
    "alt.left_view.one": "Curvas de nivel de {function} {over} con el camino del descenso de "
                         "gradiente desde {start}, tasa de aprendizaje {rate}{momentum}: los "
                         "iterados salen de la vista tras {count} paso.",
    "alt.left_view.other": "Curvas de nivel de {function} {over} con el camino del descenso "
                           "de gradiente desde {start}, tasa de aprendizaje {rate}{momentum}: "
                           "los iterados salen de la vista tras {count} pasos.",
    "alt.tangent": "Gráfica de {function} {over}, con su recta tangente en {variable} = "
                   "{point}, de pendiente {slope}.",
    "alt.gradient": "Curvas de nivel de {function} {over}, con la flecha del gradiente en "
                    "{start} y una dirección a {direction} grados del eje {variable}.",
    "figure.default_alt": "Figura dibujada por el código de arriba",
    "cards.label": "Funciones de este capítulo",
    "cards.function": "Función {function}",
    "cards.checked": "gradiente comprobado",
    "cards.numerical": "gradiente numérico",
    "quiz.heading": "Compruebe lo que ha entendido",
    "quiz.single": "Elija la respuesta correcta",
    "quiz.multiple": "Elija todas las respuestas correctas",
    "quiz.numeric": "Escriba un número",
    "quiz.within": "se aceptan respuestas con un margen de {tolerance}",
    "quiz.exact": "se espera el valor exacto",
    "quiz.your_answer": "Su respuesta",
    "quiz.nojs": "Para comprobar las respuestas hace falta JavaScript: abra "
                 "\u00ab{show_answer}\u00bb para comparar.",
    "quiz.check": "Comprobar",
    "quiz.show_answer": "Mostrar la respuesta",
    "quiz.try_another": "Otra variante",
    "quiz.variant": "Variante {number} de {count}",
    "quiz.hint": "Mostrar una pista ({number} de {count})",
    "quiz.answer": "Respuesta:",
    "quiz.correct": "Correcto",
    "quiz.incorrect": "Incorrecto",
    "quiz.correct_answer": "Respuesta correcta",
    "quiz.not_a_number": "Escriba un número, por ejemplo 0,5 o 1/2",
    "quiz.choose_first": "Elija primero una respuesta",
    "quiz.select_exactly": "Elija todas las respuestas correctas, y solo esas.",
    "quiz.separator": "{typed} puede leerse como {whole} o como {decimal}: escriba el número "
                      "que quiere decir tal como aparece aquí",
    "review.title": "Repaso",
    "review.intro": "Las preguntas que respondió mal y aún no ha respondido bien, y las que "
                    "aún no ha intentado, capítulo por capítulo. La lista sale de su progreso "
                    "en este navegador.",
    "review.nojs": "El repaso se hace a partir de su progreso, que guarda este navegador: "
                   "necesita JavaScript, que está desactivado. Las preguntas están en los "
                   "capítulos, desde el {link}inicio del curso{/link}.",
    "review.empty": "No hay nada que repasar: todas las preguntas están bien respondidas.",
    "review.wrong": "Respondida mal",
    "review.untried": "Aún sin intentar",
    "review.summary_wrong.one": "{count} pregunta respondida mal.",
    "review.summary_wrong.other": "{count} preguntas respondidas mal.",
    "review.summary_untried.one": "{count} pregunta aún sin intentar.",
    "review.summary_untried.other": "{count} preguntas aún sin intentar.",
    "review.summary_both.one": "{wrong} pregunta respondida mal y {untried} aún sin intentar.",
    "review.summary_both.other": "{wrong} preguntas respondidas mal y {untried} aún sin "
                                 "intentar.",
    "print.howto": "Todos los capítulos del curso en una sola página, sin las respuestas, las "
                   "pistas ni las soluciones. Para imprimirla o guardarla como PDF, use el "
                   "comando Imprimir de su navegador y elija una impresora o \u00abGuardar como "
                   "PDF\u00bb.",
    "print.contents": "Contenido",
    "notfound.title": "Página no encontrada",
    "notfound.text": "La página que busca no está aquí. Puede que se haya movido o cambiado de "
                     "nombre, o que la dirección tenga un error.",
    "notfound.home": "Ir al inicio del curso",
    "explore.rate": "Tasa de aprendizaje",
    "explore.steps": "Pasos",
    "explore.momentum": "Momento",
    "explore.direction": "Dirección",
    "explore.degrees": "{value} grados",
    "explore.last_iterate": "Último iterado",
    "explore.value_there": "{function} en ese punto",
    "explore.norm_there": "\u2016\u2207{function}\u2016 en ese punto",
    "explore.steps_taken": "Pasos dados",
    "explore.slope": "Pendiente {function}\u2032({variables})",
    "explore.point": "Punto",
    "explore.directional": "Derivada direccional",
    "explore.angle": "Ángulo con el gradiente",
    "explore.diverged.one": "Divergencia: los iterados salieron de la vista tras {count} paso.",
    "explore.diverged.other": "Divergencia: los iterados salieron de la vista tras {count} "
                              "pasos.",
    "explore.diverged_at_once": "Divergencia: el primer paso ya salió de la vista.",
    "explore.nojs": "Mover esta figura requiere JavaScript; sin él, la figura muestra los "
                   "ajustes de arriba.",
    "explore.start_point": "Punto inicial",
    "explore.graph_point": "Punto de la gráfica",
    "explore.graph": "Gráfica interactiva: arrastre el punto o use las flechas del teclado "
                     "(Mayús para pasos más grandes)",
    "explore.plot": "Figura interactiva: arrastre el punto o use las flechas del teclado "
                    "(Mayús para pasos más grandes)",
}
