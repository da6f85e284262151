import ZhengxinCore

/// The project page's content as HTML, written in Swift (the layout around it stays a Leaf
/// template): after the action forms (FormFieldsHTML), Leaf's interpreter and the encoding of the
/// page into Leaf's values were still a large part of a project page; a page has dozens of loops
/// over facts, documents, audit lines and unmet conditions. The markup is what `project.leaf` drew
/// before, every text escaped as Leaf's `#( )` escapes it.
enum ProjectPageHTML {
    private static func e(_ s: String) -> String { TimelineSVG.escape(s) }

    static func body(_ page: ProjectPageModel, csrf: String) -> String {
        var h = ""
        h.reserveCapacity(16_384 + page.timelineSVG.utf8.count)
        let id = page.id.uuidString, csrf = e(csrf)
        h += """
        <link rel="stylesheet" href="/css/project.css">
        <div class="project-head">
          <p class="muted">\(e(page.code)) · <span class="badge">\(e(page.stage))</span></p>
          <h1>\(e(page.name))</h1>
        </div>
        <div class="grid-2">
        <section class="panel" aria-labelledby="facts-heading">
          <h2 id="facts-heading">基本情况</h2>
          <dl class="facts">\(pairs(page.facts.map { ($0.label, $0.value) }))</dl>
        </section>
        <section class="panel" aria-labelledby="money-heading">
          <h2 id="money-heading">资金</h2>
          <dl class="facts money">\(page.money.map { "<dt>\(e($0.label))</dt><dd class=\"num\">\(e($0.value))</dd>" }.joined())</dl>
          <h3>信息资源共享(第二十八条)</h3>
          <dl class="facts">\(page.sharing.map { "<dt>\(e($0.label))</dt><dd class=\"num\">\(e($0.value))</dd>" }.joined())</dl>
        </section>
        </div>
        <section class="panel" aria-labelledby="timeline-heading">
          <h2 id="timeline-heading">时间线</h2>
          <div class="timeline-wrap">\(page.timelineSVG)</div>
          <p class="muted">圆点: 已办理环节;菱形: 法定期限(红色为已逾期,绿色为已按期完成);红色虚线: 今天。</p>
        </section>
        <section class="panel" aria-labelledby="actions-heading">
          <h2 id="actions-heading">可办理事项</h2>

        """
        if page.actions.isEmpty { h += "  <p class=\"muted\">当前阶段没有由您办理的事项。</p>\n" }
        for a in page.actions { action(a, projectId: id, csrf: csrf, into: &h) }
        if !page.others.isEmpty {
            h += "  <h3>由其他机构办理</h3>\n  <ul class=\"next-actions\">"
            for o in page.others { h += "<li>\(e(o.title)) — \(e(o.who)) <span class=\"article\">\(e(o.article))</span></li>" }
            h += "</ul>\n"
        }
        h += "</section>\n"
        documents(page, projectId: id, csrf: csrf, into: &h)
        if page.showAudit { audit(page, projectId: id, into: &h) }
        return h
    }

    private static func pairs(_ items: [(String, String)]) -> String {
        items.map { "<dt>\(e($0.0))</dt><dd>\(e($0.1))</dd>" }.joined()
    }

    private static func violations(_ list: [Violation]) -> String {
        list.map { v in
            "<li><span class=\"rule-id\">\(e(v.rule))</span>" + (v.article.map { "<span class=\"article\">\(e($0))</span>" } ?? "") + " \(e(v.message))</li>"
        }.joined()
    }

    private static func action(_ a: ProjectPageModel.OpenAction, projectId: String, csrf: String, into h: inout String) {
        let name = e(a.form.action), title = e(a.form.title)
        h += "  <details class=\"action-form\" id=\"action-\(name)\"\(a.submitted ? " open" : "")>\n"
        h += "    <summary>\(title) <span class=\"article\">\(e(a.article))</span>"
        if a.hasUnmet { h += " <span class=\"badge badge-overdue\">尚有\(a.unmet.count)项条件未满足</span>" }
        h += "</summary>\n"
        if a.hasRefusal {
            h += """
                <div class="refusal" role="alert">
                  <p class="refusal-title">未办理,原因如下:</p>
                  <ul class="violations">\(violations(a.refusal))</ul>
                </div>

            """
        }
        if a.hasUnmet {
            h += """
                <div class="unmet">
                  <p>办理前须满足的条件(当前未满足):</p>
                  <ul class="violations">\(violations(a.unmet))</ul>
                </div>

            """
        }
        h += "    <form method=\"post\" action=\"/projects/\(projectId)/actions/\(name)\" class=\"form-stack\""
        if let confirm = a.confirm { h += " data-confirm=\"\(e(confirm))\"" }
        h += ">\n      <input type=\"hidden\" name=\"_csrf\" value=\"\(csrf)\">\n"
        h += FormFieldsHTML.render(a.form.fields)
        h += "      <div class=\"form-actions\"><button type=\"submit\" class=\"button button-primary\">\(title)</button></div>\n    </form>\n  </details>\n"
    }

    private static func documents(_ page: ProjectPageModel, projectId: String, csrf: String, into h: inout String) {
        h += "<section class=\"panel\" aria-labelledby=\"docs-heading\">\n  <h2 id=\"docs-heading\">文档</h2>\n"
        if page.documents.isEmpty {
            h += "  <p class=\"muted\">尚无文档。</p>\n"
        } else {
            h += """
              <div class="table-wrap"><table>
                <caption>项目文档(下载均为附件)</caption>
                <thead><tr><th scope="col">编号</th><th scope="col">类型</th><th scope="col">文件名</th><th scope="col" class="num">大小</th><th scope="col">上传时间(北京时间)</th></tr></thead>
                <tbody>
            """
            for d in page.documents {
                h += "<tr><td>\(d.number)</td><td>\(e(d.kind))</td><td><a href=\"\(e(d.href))\" download>\(e(d.filename))</a></td><td class=\"num\">\(e(d.size))</td><td class=\"nowrap\">\(e(d.uploadedAt))</td></tr>"
            }
            h += "</tbody>\n  </table></div>\n"
        }
        if !page.uploadKinds.isEmpty {
            let kinds = page.uploadKinds.map { "<option value=\"\(e($0.value))\">\(e($0.label))</option>" }.joined()
            let parts = page.sharingParts.map { p in
                "<span class=\"check\"><input type=\"checkbox\" id=\"upload-part-\(e(p.value))\" name=\"sharingChapter[]\" value=\"\(e(p.value))\"><label for=\"upload-part-\(e(p.value))\">\(e(p.label))</label></span>"
            }.joined()
            h += """
              <form method="post" action="/projects/\(projectId)/documents" enctype="multipart/form-data" class="form-stack upload-form">
                <input type="hidden" name="_csrf" value="\(csrf)">
                <h3>上传文档</h3>
                <div class="field"><label for="upload-kind">文档类型 <span class="required" aria-hidden="true">*</span></label>
                  <select id="upload-kind" name="kind" required>\(kinds)</select></div>
                <div class="field"><label for="upload-file">文件(PDF、Office/OFD、图片或纯文本)<span class="required" aria-hidden="true">*</span></label>
                  <input type="file" id="upload-file" name="file" required></div>
                <fieldset class="field"><legend>含信息资源共享分析篇(章)的部分(可研、初设、实施方案)</legend>
                  \(parts)
                </fieldset>
                <div class="field"><label for="upload-evaluates">评估的文档(咨询评估报告)</label>
                  <select id="upload-evaluates" name="evaluates"><option value="">(不选)</option>\(kinds)</select></div>
                <div class="field field-check"><input type="checkbox" id="upload-opinion" name="sharingChapterOpinion" value="true"><label for="upload-opinion">评估报告对共享分析篇(章)出具了意见</label></div>
                <div class="form-actions"><button type="submit" class="button">上传</button></div>
              </form>

            """
        }
        h += "</section>\n"
    }

    /// A page of the audit record, newest first, with links to the newer and older pages; open
    /// when the caller asked for a page of it.
    private static func audit(_ page: ProjectPageModel, projectId: String, into h: inout String) {
        let lines = page.audit
        let pages = max(1, (page.auditTotal + ProjectPageModel.auditPerPage - 1) / ProjectPageModel.auditPerPage)
        let shown = page.auditTotal <= ProjectPageModel.auditPerPage ? "" : ",第\(page.auditPage)/\(pages)页"
        h += """
        <section class="panel" aria-labelledby="audit-heading">
          <details class="audit"\(page.auditPage > 1 ? " open" : "")>
            <summary><h2 id="audit-heading">审计记录(共\(page.auditTotal)条,最近在前\(shown))</h2></summary>
            <div class="table-wrap"><table>
              <caption>每一项操作(含被拒绝的)均记入防篡改审计记录</caption>
              <thead><tr><th scope="col">时间(北京时间)</th><th scope="col">操作人</th><th scope="col">操作</th><th scope="col">结果</th><th scope="col">摘要</th></tr></thead>
              <tbody>
        """
        for l in lines {
            h += "<tr\(l.refused ? " class=\"refused\"" : "")><td class=\"nowrap\">\(e(l.at))</td><td>\(e(l.actor))</td><td>\(e(l.action))</td><td>\(e(l.result))</td><td>\(e(l.summary))</td></tr>"
        }
        h += "</tbody>\n    </table></div>\n"
        var links: [String] = []
        if page.auditPage > 1 { links.append("<a rel=\"prev\" href=\"/projects/\(e(projectId))?auditPage=\(min(page.auditPage - 1, pages))#audit-heading\">较新的记录</a>") }
        if page.auditPage < pages { links.append("<a rel=\"next\" href=\"/projects/\(e(projectId))?auditPage=\(page.auditPage + 1)#audit-heading\">较早的记录</a>") }
        if !links.isEmpty { h += "    <nav class=\"pager\" aria-label=\"审计记录分页\">" + links.joined(separator: " ") + "</nav>\n" }
        h += "  </details>\n</section>\n"
    }
}
