// The flow editor's script: CodeMirror on the text, checking as the admin
// types (the problems marked on their lines, the diagram redrawn), and the
// simulator without page loads. Without it the page's buttons do the same
// through ordinary form posts.
(function () {
  'use strict';
  var form = document.getElementById('flow-form');
  if (!form) {
    return;
  }
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var path = '/console/studio/flows/' + encodeURIComponent(form.dataset.flow);
  var textarea = document.getElementById('source');
  var status = document.getElementById('check-status');
  var report = document.getElementById('check-report');
  var diagram = document.getElementById('diagram');
  var simulator = document.getElementById('simulator');
  var editor = null;
  if (window.CodeMirror) {
    editor = window.CodeMirror.fromTextArea(textarea, {
      mode: 'yaml',
      lineNumbers: true,
      indentUnit: 2,
      tabSize: 2,
      // Every line is rendered, so a problem's mark is there to see (and
      // to test) wherever it is; flow files are a few hundred lines.
      viewportMargin: Infinity,
      gutters: ['CodeMirror-linenumbers', 'problem-gutter'],
      extraKeys: {
        Tab: function (cm) { cm.replaceSelection('  '); }
      }
    });
  }

  // fields returns the form as URL-encoded fields (what the server parses),
  // with the editor's text and the pressed button.
  function fields(submitter) {
    var data = new FormData(form, submitter || null);
    if (editor) {
      data.set('source', editor.getValue());
    }
    return new URLSearchParams(data);
  }

  function say(key) {
    return form.dataset[key] || '';
  }

  // Unsaved edits are not lost by leaving the page by mistake.
  var dirty = false;
  window.addEventListener('beforeunload', function (e) {
    if (dirty) {
      e.preventDefault();
      e.returnValue = '';
    }
  });

  var marked = [];
  function mark(problems) {
    if (!editor) {
      return;
    }
    editor.operation(function () {
      marked.forEach(function (h) {
        editor.removeLineClass(h, 'wrap', 'line-error');
        editor.removeLineClass(h, 'wrap', 'line-warning');
      });
      marked = [];
      editor.clearGutter('problem-gutter');
      // Errors last, so an error's mark wins over a warning's on one line.
      problems.slice().reverse().forEach(function (p) {
        var h = p.line > 0 ? editor.getLineHandle(p.line - 1) : null;
        if (!h) {
          return;
        }
        editor.addLineClass(h, 'wrap', p.severity === 'error' ? 'line-error' : 'line-warning');
        marked.push(h);
        var m = document.createElement('span');
        m.className = 'gutter-mark ' + p.severity;
        m.textContent = p.severity === 'error' ? '●' : '▲';
        m.title = p.message;
        editor.setGutterMarker(h, 'problem-gutter', m);
      });
    });
  }

  var timer = null;
  var sequence = 0;
  function check() {
    var mine = ++sequence;
    status.textContent = say('msgChecking');
    fetch(path + '/check', {
      method: 'POST',
      headers: {'X-CSRF-Token': csrf, 'Accept': 'application/json'},
      body: fields(null),
      credentials: 'same-origin'
    }).then(function (resp) {
      if (!resp.ok) {
        throw new Error(String(resp.status));
      }
      return resp.json();
    }).then(function (answer) {
      if (mine !== sequence) {
        return; // a newer text is being checked
      }
      report.innerHTML = answer.report;
      if (answer.diagram) {
        diagram.innerHTML = answer.diagram;
        diagram.classList.remove('stale');
      } else {
        diagram.classList.add('stale');
      }
      mark(answer.problems);
      var errors = answer.problems.filter(function (p) { return p.severity === 'error'; }).length;
      status.textContent = errors > 0 ? errors + ' ' + say('msgErrors') : say('msgValid');
      form.dataset.checked = String(mine);
    }).catch(function () {
      if (mine === sequence) {
        status.textContent = say('msgFailed');
      }
    });
  }

  if (editor) {
    editor.on('change', function () {
      dirty = true;
      clearTimeout(timer);
      timer = setTimeout(check, 400);
    });
    check(); // mark the problems of the text as loaded
  }

  // A problem or a box of the diagram takes the editor to its line.
  function goTo(line, column) {
    if (!editor || !(line > 0)) {
      return;
    }
    editor.focus();
    editor.setCursor({line: line - 1, ch: Math.max(0, (column || 1) - 1)});
    editor.scrollIntoView(null, 120);
  }
  report.addEventListener('click', function (e) {
    var a = e.target.closest('[data-line]');
    if (a && editor) {
      e.preventDefault();
      goTo(Number(a.dataset.line), Number(a.dataset.column));
    }
  });
  diagram.addEventListener('click', function (e) {
    var g = e.target.closest('g[data-line]');
    if (g) {
      goTo(Number(g.getAttribute('data-line')), 1);
    }
  });

  // The simulator's buttons post to /simulate; the answer replaces the
  // panel. Saving and checking by button still post the whole form.
  function simulate(submitter) {
    simulator.classList.add('busy');
    fetch(path + '/simulate', {
      method: 'POST',
      headers: {'X-CSRF-Token': csrf, 'X-Studio-Fragment': '1'},
      body: fields(submitter),
      credentials: 'same-origin'
    }).then(function (resp) {
      return resp.text();
    }).then(function (html) {
      simulator.innerHTML = html;
      var chat = document.getElementById('sim-chat');
      chat.scrollTop = chat.scrollHeight;
      var input = document.getElementById('sim-text');
      if (input) {
        input.focus();
      }
    }).catch(function () {
      status.textContent = say('msgFailed');
    }).finally(function () {
      simulator.classList.remove('busy');
    });
  }
  form.addEventListener('submit', function (e) {
    var submitter = e.submitter;
    // Enter in the simulator's box submits the form with its first button
    // (Check): it means "send this message".
    if (document.activeElement && document.activeElement.id === 'sim-text' &&
        (!submitter || submitter.id === 'check-button')) {
      submitter = document.getElementById('sim-send');
    }
    var action = submitter ? submitter.getAttribute('formaction') || '' : '';
    if (/\/simulate$/.test(action)) {
      e.preventDefault();
      simulate(submitter);
      return;
    }
    dirty = false; // the text goes to the server, which keeps it on any refusal
  });
}());
