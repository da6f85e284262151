#!/usr/bin/env python3
"""Zhengxin in a real browser: headless Debian chromium driven through selenium.

Starts the real server (the built `zhengxin` binary) on a free loopback port over a throwaway SQLite
data directory with the demo data, then: logs in as a unit, declares a project through the form and
sees the 30 June refusal with its article (第七条) on the page, declares one for a later year, logs in
as BDB (with its TOTP code) and starts the technical review, opens the reports page and downloads a
CSV (checks the UTF-8 BOM), and loads the main pages at 1366x768 and at 390x844 (no sideways
scrolling of the page). Also: the unit's 邮件提醒 settings, its 批量申报 from the Excel template (a
good and a refused workbook), DRC's 催办 and the unit's answer, and a signed decision's PDF checked
on the public /verify page; 查重 (the unit's warning before it declares, BDB's review page with a
similar project side by side, the 集约性 finding naming the matches) and the /risks page. Screenshots go to the folder printed at the start (ZX_SCREENSHOTS to choose).

    scripts/browser_test.py            # after `swift build --product zhengxin`
    ZX_BROWSER_KEEP=1 scripts/browser_test.py   # keep the data directory and server log
Installs chromium, chromium-driver and fonts-noto-cjk (apt-get) and selenium (pip) when missing.
"""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PASSWORD = "Zhengxin@2026"
AGENCIES = ("drc", "fin", "bdb", "aud")  # log in with a second factor
WIDE = (1366, 768)
NARROW = (390, 844)


def ensure_tools():
    missing = [p for p, probe in (("chromium", "/usr/bin/chromium"), ("chromium-driver", "/usr/bin/chromedriver"),
                                  ("fonts-noto-cjk", "/usr/share/fonts/opentype/noto")) if not os.path.exists(probe)]
    if missing:
        print("==> apt-get install -y " + " ".join(missing), flush=True)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-q"], check=True, env=env, stdout=subprocess.DEVNULL)
        subprocess.run(["apt-get", "install", "-y", "-q"] + missing, check=True, env=env, stdout=subprocess.DEVNULL)
    try:
        import selenium  # noqa: F401
    except ImportError:
        print("==> pip install selenium", flush=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "selenium"], check=True)


class Server:
    """`zhengxin serve` on a free loopback port over a fresh SQLite data directory with the demo data."""

    def __init__(self, work):
        self.work = work
        self.bin = os.environ.get("ZX_BIN") or os.path.join(
            subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip(),
            "zhengxin")
        self.env = dict(os.environ, ZHENGXIN_DATA_DIR=os.path.join(work, "data"), ZHENGXIN_DAILY_SCAN="0")
        self.env.pop("DATABASE_URL", None)
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.port = s.getsockname()[1]
        s.close()
        self.base = "http://127.0.0.1:%d" % self.port
        self.process = None
        self.used_codes = {}

    def run(self, *args):
        out = subprocess.run([self.bin] + list(args), cwd=ROOT, env=self.env, capture_output=True, text=True)
        if out.returncode != 0:
            raise SystemExit("zhengxin %s failed:\n%s%s" % (" ".join(args), out.stdout, out.stderr))
        return out.stdout

    def start(self):
        self.run("migrate", "--yes")
        self.run("seed-demo")
        self.run("scan")  # the overdue list on the reports page comes from the deadline scan
        self.log = open(os.path.join(self.work, "server.log"), "w")
        # From the repository root: Leaf finds Resources/Views and the file middleware Public/.
        self.process = subprocess.Popen([self.bin, "serve", "--hostname", "127.0.0.1", "--port", str(self.port)],
                                        cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(150):
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=1)
                return
            except OSError:
                time.sleep(0.2)
        raise SystemExit("server did not start; see %s/server.log" % self.work)

    def totp(self, username):
        """A code the server has not yet seen for this account: a code is accepted once (the server
        remembers the last 30-second step used), so a second login in the same step waits for the next."""
        for _ in range(40):
            code = self.run("totp-code", "--username", username).strip().split()[-1]
            if code != self.used_codes.get(username):
                self.used_codes[username] = code
                return code
            time.sleep(1)
        raise SystemExit("no fresh TOTP code for %s after 40 s" % username)

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)


class Browser:
    def __init__(self, base, shots, downloads):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        self.base, self.shots, self.downloads = base, shots, downloads
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--lang=zh-CN",
                    "--window-size=%d,%d" % WIDE, "--force-device-scale-factor=1", "--hide-scrollbars"):
            options.add_argument(arg)
        # A PDF (a decision, sent inline) is saved to `downloads` rather than shown in the viewer.
        options.add_experimental_option("prefs", {"download.default_directory": downloads, "download.prompt_for_download": False,
                                                  "intl.accept_languages": "zh-CN,zh", "plugins.always_open_pdf_externally": True})
        # The console, to see every Content-Security-Policy violation (csp_violations).
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        self.console = []
        self.driver.set_page_load_timeout(30)
        self.driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
        self.size(WIDE)
        self.shot_count = 0

    def size(self, wh):
        # Sets the viewport (not the window) to exactly wh, as a phone or a 1366x768 laptop shows it.
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": wh[0], "height": wh[1], "deviceScaleFactor": 1, "mobile": wh[0] < 600})
        self.viewport = wh

    def get(self, path):
        self.read_console()
        self.driver.get(self.base + path)
        self.read_console()
        return self

    def read_console(self):
        """Keeps what the console said since the last read (chromedriver hands each entry out once)."""
        try:
            self.console += [(self.driver.current_url, e.get("message", "")) for e in self.driver.get_log("browser")]
        except Exception as error:  # a driver without the log endpoint: said once, not a failure
            if not any(m == "no console log" for _, m in self.console):
                print("    (no browser console log: %s)" % error, flush=True)
                self.console.append(("", "no console log"))

    def csp_violations(self):
        """Console lines of the pages seen so far that report a blocked script, style, frame or image."""
        self.read_console()
        return ["%s: %s" % (url, m) for url, m in self.console if "Content Security Policy" in m or "Content-Security-Policy" in m]

    def find(self, css):
        from selenium.webdriver.common.by import By
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def all(self, css):
        from selenium.webdriver.common.by import By
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    @property
    def text(self):
        return self.find("body").text

    @property
    def path(self):
        return self.driver.current_url[len(self.base):]

    def shot(self, name, full=False):
        """Screenshot of the viewport, or of the whole page (viewport stretched to the page's height)."""
        self.shot_count += 1
        file = os.path.join(self.shots, "%02d-%s.png" % (self.shot_count, name))
        if full:
            viewport = self.viewport
            height = min(int(self.driver.execute_script("return document.documentElement.scrollHeight")), 6000)
            self.size((viewport[0], max(height, viewport[1])))
            self.driver.save_screenshot(file)
            self.size(viewport)
        else:
            self.driver.save_screenshot(file)
        return file

    def no_sideways_scroll(self, label):
        wide = self.driver.execute_script("return document.documentElement.scrollWidth")
        expect(wide <= self.viewport[0] + 1, "%s: the page scrolls sideways at %dpx (content %dpx wide)" % (label, self.viewport[0], wide))

    def login(self, username, totp=None):
        self.get("/login")
        self.find("#username").send_keys(username)
        self.find("#password").send_keys(PASSWORD)
        if totp:
            self.find("#totp").send_keys(totp)
        self.submit(self.find("form[action='/login']"))
        expect(self.path in ("/", "/?"), "login as %s lands on the home page, not %s: %s" % (username, self.path, self.text[:300]))

    def logout(self):
        self.submit(self.find("form[action='/logout']"))
        expect(self.path.startswith("/login"), "logout goes back to the login page")

    def fill(self, form, values):
        """Fills `values` (by field name) and every other empty required field with something plausible."""
        from selenium.webdriver.support.ui import Select
        for field in form.find_elements("css selector", "input, select, textarea"):
            name = field.get_attribute("name") or ""
            kind = (field.get_attribute("type") or field.tag_name).lower()
            if not name or name == "_csrf" or kind in ("hidden", "submit", "button", "file") or not field.is_displayed():
                continue
            if name in values:
                value = values[name]
            elif field.get_attribute("required") is None or (field.get_attribute("value") or "") != "":
                continue
            elif field.tag_name == "select":
                value = None
            elif kind == "date":
                value = time.strftime("%Y-%m-%d")
            elif kind == "number":
                value = "1"
            elif field.get_attribute("inputmode") == "decimal":  # money in 元
                value = "100000.00"
            else:
                value = "浏览器测试"
            if field.tag_name == "select":
                choice = Select(field)
                if value is None:
                    options = [o for o in choice.options if o.get_attribute("value")]
                    if options:
                        choice.select_by_value(options[0].get_attribute("value"))
                else:
                    choice.select_by_value(value)
            elif kind == "checkbox":
                if bool(value) != field.is_selected():
                    field.click()
            elif kind == "date":
                self.driver.execute_script("arguments[0].value = arguments[1]", field, value)
            else:
                field.clear()
                field.send_keys(value)

    def open(self, form):
        """Action forms sit in closed <details>; open the one around `form` so its fields can be used."""
        self.driver.execute_script("var d = arguments[0].closest('details'); if (d) { d.open = true; }", form)

    def submit(self, form):
        from selenium.common.exceptions import NoAlertPresentException
        from selenium.webdriver.support.ui import WebDriverWait
        page = self.find("html")
        form.find_element("css selector", "button[type=submit], input[type=submit]").click()
        try:  # forms with data-confirm ask first
            self.driver.switch_to.alert.accept()
        except NoAlertPresentException:
            pass
        WebDriverWait(self.driver, 20).until(lambda _: detached(page))  # the answer has loaded
        self.read_console()

    def quit(self):
        self.driver.quit()


def detached(element):
    """Whether `element` has left the document (the page it was on has been replaced).

    Selenium's staleness_of only knows StaleElementReferenceException; while the old document is being
    torn down chromedriver may instead answer 'unknown error: ... Node with given id does not belong to
    the document' (a CI run failed on exactly that after a logout), which means the same thing."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    try:
        element.is_enabled()
        return False
    except StaleElementReferenceException:
        return True
    except WebDriverException as error:
        if "does not belong to the document" in str(error) or "No node with given id" in str(error):
            return True
        raise


FAILURES = []


def expect(condition, message):
    if not condition:
        FAILURES.append(message)
        print("FAIL " + message, flush=True)
    return condition


def declare_through_form(b, name, plan_year):
    """Fills the declaration form (/projects/new) and returns the new project's page path."""
    b.get("/projects/new")
    form = b.find("form[action='/projects']")
    values = {"name": name, "planYear": str(plan_year), "source": "unitDeclaration", "totalInvestmentFen": "1200000.00"}
    # 绩效目标 (第五条, R-GOAL-1): a declaration needs an 产出 and a 效益 indicator, each with a target and unit.
    for i, (indicator, category, target, unit) in enumerate((("接入部门数", "quantity", "40", "个"), ("办件时长缩短", "social", "30", "%"))):
        values.update({"performanceIndicators.%d.name" % i: indicator, "performanceIndicators.%d.category" % i: category,
                       "performanceIndicators.%d.comparison" % i: "atLeast", "performanceIndicators.%d.target" % i: target,
                       "performanceIndicators.%d.unit" % i: unit})
    b.fill(form, values)
    b.submit(form)
    expect(b.path.startswith("/projects/") and b.path != "/projects/new",
           "the declaration form leads to the new project's page, not %s: %s" % (b.path, b.text[:400]))
    return b.path.split("?")[0]


def act(b, project, action, values=None):
    b.get(project)
    forms = b.all("form[action$='/actions/%s']" % action)
    if not expect(forms, "%s offers the form %s: %s" % (project, action, b.text[:400])):
        return
    b.open(forms[0])
    b.fill(forms[0], values or {})
    b.submit(forms[0])
    if os.environ.get("ZX_BROWSER_DEBUG") == "1":
        open(os.path.join(b.shots, "after-%s.html" % action), "w").write(b.driver.page_source)
    # A refusal may sit in a closed <details>: read its text whether shown or not.
    return b.text + " ".join(e.get_attribute("textContent") for e in b.all(".refusal, .field-error"))


def downloaded_csv(folder, started):
    for _ in range(100):
        done = [f for f in os.listdir(folder) if f.endswith(".csv")]
        if done and not any(f.endswith(".crdownload") for f in os.listdir(folder)):
            return os.path.join(folder, done[0])
        time.sleep(0.1)
    return None


def scenario(server, b):
    year = int(time.strftime("%Y"))
    # Login page, as anyone first sees it.
    b.get("/")
    expect(b.path.startswith("/login"), "an anonymous visitor is sent to /login, not %s" % b.path)
    b.shot("login")

    # A unit: home, list, declaration (refused by 第七条 when late), then a declaration in time.
    b.login("health")
    b.shot("home-unit", full=True)
    b.get("/projects")
    b.shot("projects-list", full=True)
    late = declare_through_form(b, "浏览器测试项目(逾期申报)", year + 1)
    b.shot("project-page", full=True)
    act(b, late, "declare")
    page = b.text
    expect("R-DEC-1" in page and "第七条" in page, "declaring for %d after 30 June is refused with R-DEC-1 第七条 on the page: %s" % (year + 1, page[:600]))
    b.shot("refusal", full=True)
    on_time = declare_through_form(b, "浏览器测试项目(按期申报)", year + 2)
    # 查重 (R-REV-3, 第七条): the saved draft resembles the one above; the unit is warned before it
    # declares, in the panel and in the declaration form, and may declare all the same.
    b.get(on_time)
    expect("发现相似项目,请说明差异或依托已有系统" in b.text, "the unit's draft page warns of similar projects: %s" % b.text[:400])
    expect(b.all("#action-declare .similar-warning"), "the declaration form repeats the 查重 warning")
    b.shot("declare-similar-warning", full=True)
    act(b, on_time, "declare")
    b.get(on_time)
    expect("已申报" in b.text, "the declaration in time is accepted: %s" % b.text[:400])
    # A free list (采购内容) draws three rows; 再加一项 adds a fourth, named and labelled for the server.
    b.get("/projects?q=" + "全民健康信息平台")
    links = [a.get_attribute("href") for a in b.all("table a[href*='/projects/']")]
    if expect(links, "the list finds the demo project under construction"):
        b.driver.get(links[0])
        forms = b.all("form[action$='/actions/record-procurement']")
        if expect(forms, "the project under construction offers 登记招标采购"):
            b.open(forms[0])
            buttons = forms[0].find_elements("css selector", "button.add-row")
            if expect(buttons and buttons[0].is_displayed(), "the procurement form shows 再加一项"):
                buttons[0].click()
                added = forms[0].find_elements("css selector", "[name^='items.3.']")
                expect(added, "再加一项 adds a fourth row (items.3.*)")
                labelled = [e for e in added if e.get_attribute("id") and
                            forms[0].find_elements("css selector", "label[for='%s']" % e.get_attribute("id"))]
                expect(len(labelled) == len([e for e in added if e.get_attribute("type") != "hidden"]),
                       "every input of the added row has its label")
    b.logout()

    # BDB (second factor): its queue, then the technical review of the declared project.
    b.login("bdb", server.totp("bdb"))
    b.shot("home-bdb", full=True)
    act(b, on_time, "start-technical-review")
    b.get(on_time)
    expect("技术审查中" in b.text, "BDB starts the technical review: %s" % b.text[:400])
    # The opinion on the five criteria (必要性, 规模合理性, 技术先进性, 安全可靠性, 集约性); the form's
    # first choices, comments filled in.
    opinion = {"comment": "经审查,项目建设必要、规模合理、技术先进、安全可靠、集约建设"}
    for i in range(5):
        opinion["findings.%d.satisfied" % i] = True
        opinion["findings.%d.comment" % i] = "符合要求"
    # 集约性 (R-REV-3): the form pre-lists 查重's matches; BDB ticks each as considered and says why.
    b.get(on_time)
    ticks = [t.get_attribute("name") for t in b.all("input[type=checkbox][name^='findings.4.consideredProjects.']")]
    expect(ticks, "the 集约性 finding pre-lists the similar projects to tick: %s" % b.text[:400])
    bare = act(b, on_time, "issue-review-opinion", opinion)
    expect("R-REV-3" in (bare or "") and "第七条" in (bare or ""),
           "an opinion that ignores the similar projects is refused with R-REV-3 第七条: %s" % (bare or "")[-800:])
    opinion.update({name: True for name in ticks})
    opinion["findings.4.restrictedConsidered"] = "true"
    opinion["findings.4.duplicateAssessment"] = "与所列项目系同一单位的不同年度申报,已核对,不重复建设"
    answer = act(b, on_time, "issue-review-opinion", opinion)
    b.get(on_time)
    expect("技术审查中" not in b.text.split("时间线")[0] and "审查意见" in b.text,
           "BDB's review opinion moves the project on: %s" % (answer or "")[-1500:])
    b.shot("project-page-bdb", full=True)
    review_similar_projects(b)
    # 风险评级: the ranked list and its distribution.
    b.get("/risks")
    expect("风险评级" in b.text and b.all("table"), "the /risks page lists projects by risk: %s" % b.text[:400])
    b.shot("risks", full=True)

    # Reports: charts, tables, and a CSV that Excel opens (BOM, CRLF).
    b.get("/reports")
    expect(len(b.all("svg.bar-chart[role=img]")) == 9, "the reports page draws 9 charts (8 figures, the risk levels)")
    expect(len(b.all(".report-section table")) == 5, "each chart has its table")
    risk_links = b.all("#report-risk a[href^='/risks?level=']")
    expect(len(risk_links) > 0, "the risk distribution links each count to the ranked list")
    b.shot("reports", full=True)
    started = time.time()
    b.find("a[href^='/reports/by-stage.csv']").click()
    csv = downloaded_csv(b.downloads, started)
    if expect(csv, "the by-stage CSV downloads"):
        data = open(csv, "rb").read()
        expect(data[:3] == b"\xef\xbb\xbf", "the CSV starts with the UTF-8 BOM")
        expect(data[3:].decode("utf-8").startswith("阶段,项目数,") and b"\r\n" in data, "the CSV has Chinese headers and CRLF line ends")
        reports_xlsx(b, data[3:].decode("utf-8"))

    # A narrow screen (390x844): the main pages fit without scrolling sideways.
    b.size(NARROW)
    for path, name in (("/", "home"), ("/projects", "projects-list"), (on_time, "project-page"), ("/reports", "reports")):
        b.get(path)
        b.no_sideways_scroll(name)
        b.shot("narrow-" + name, full=(name == "reports"))
    b.size(WIDE)
    for path in ("/", "/projects", on_time, "/reports"):
        b.get(path)
        b.no_sideways_scroll(path)
    b.logout()
    unit_projects_xlsx(b)
    # The unit's own settings and its batch declaration from the Excel template.
    mail_settings(b)
    batch_declaration(b, year)

    # Each role's first hour: a matter waits on its home page, and it can be done from there.
    for role in ("drc", "fin", "bdb", "aud", "health", "traffic"):
        complete_a_waiting_matter(server, b, role)
    # The administrators (三权分立) and the vendor: their own home pages.
    approve_a_proposal(server, b)
    follow_an_approved_account(server, b)
    review_admin_events(server, b)
    vendor_first_hour(b)
    # Supervision and decisions across roles: DRC chases the unit, which answers; FIN's 拨付 is a
    # signed decision whose PDF anyone holding it can check without an account. Here, late in the
    # run, DRC's and FIN's earlier logins are in an older TOTP step: a fresh code is at hand at once.
    urge_and_answer(server, b, on_time)
    signed_decision_and_check(server, b)

    # The project page printed (Chromium's print to PDF), one page image per A4 sheet.
    print_project_page(server, b)


def review_similar_projects(b):
    """BDB's review page of the demo's 城市运行综合管理平台 (under technical review): 查重 shows the other
    unit's 城市综合运行管理平台 beside it, the shared passages marked (R-REV-3, 第七条 集约性)."""
    b.get("/projects?q=" + "城市运行综合管理平台")
    links = [a.get_attribute("href") for a in b.all("table a[href*='/projects/']")]
    for link in links:
        b.driver.get(link)
        if b.all(".similar-panel table.side-by-side"):
            break
    panel = b.all(".similar-panel")
    if expect(panel and panel[0].find_elements("css selector", "table.side-by-side mark"),
              "the review page shows a similar project side by side with marked passages: %s" % b.text[:400]):
        expect("城市综合运行管理平台" in panel[0].text, "the match is the other unit's 城市综合运行管理平台")
        expect(panel[0].find_elements("css selector", "a[href^='/projects/']"), "the match links to its project page")
        b.driver.execute_script("arguments[0].scrollIntoView()", panel[0])
        b.shot("review-similar-projects", full=True)


def complete_a_waiting_matter(server, b, role):
    """Logs in as `role`, reads the queue on its home page, opens the waiting matters in turn and
    completes the first whose form the page accepts (some need documents a browser test has not got)."""
    b.login(role, server.totp(role) if role in AGENCIES else None)
    b.shot("home-" + role, full=True)
    count = b.find("#queue-count").text
    links = [(a.get_attribute("href"), a.text) for a in b.all("ul.next-actions a") if "#action-" in (a.get_attribute("href") or "")]
    if not expect(links, "%s finds a matter waiting on its home page (queue count %s): %s" % (role, count, b.text[:500])):
        b.logout()
        return
    done = None
    for href, title in links[:8]:
        b.driver.get(href)
        action = href.split("#action-", 1)[1]
        forms = b.all("details#action-%s form" % action)
        if not expect(forms, "%s: the matter %s opens its form (%s)" % (role, title, href)):
            continue
        b.open(forms[0])
        b.fill(forms[0], {})
        b.submit(forms[0])
        if b.all(".flash-ok"):
            done = (title, action)
            break
    if expect(done, "%s completes one of the matters waiting on its home page: %s" % (role, [t for _, t in links[:8]])):
        print("==> %s: queue %s, completed 「%s」 (%s)" % (role, count, done[0], done[1]), flush=True)
        b.shot("done-" + role, full=True)
    b.logout()


def admin_queue(b, panel):
    """The count and the matter links of one panel of an administrator's home page."""
    count = b.all("#%s .queue-count" % panel)
    links = [(a.get_attribute("href"), a.text) for a in b.all("#%s table a" % panel)]
    return (count[0].text if count else None), links


def approve_a_proposal(server, b):
    """安全管理员: the seeded proposal waits on the home page; it is approved on its page, which shows
    the second half of the activation code once, and leaves the home page."""
    b.login("secadmin", server.totp("secadmin"))
    b.shot("home-secadmin", full=True)
    count, links = admin_queue(b, "queue-proposals")
    if not expect(links and "/admin/proposals/" in links[0][0], "secadmin finds a proposal waiting (count %s): %s" % (count, b.text[:500])):
        b.logout()
        return
    b.driver.get(links[0][0])
    forms = b.all("form[action$='/approve']")
    if expect(forms, "the proposal page offers 批准 to secadmin: %s" % b.text[:400]):
        b.submit(forms[0])
        expect(b.all(".flash-ok") and b.all("#issued-code") and "已批准" in b.find("#proposal-status").text,
               "secadmin approves 「%s」 and sees the second half of the code: %s" % (links[0][1], b.text[:500]))
        b.shot("done-secadmin", full=True)
        b.get("/")
        after, _ = admin_queue(b, "queue-proposals")
        expect(after == str(int(count) - 1), "the approved proposal leaves secadmin's home (%s, then %s)" % (count, after))
        print("==> secadmin: proposals %s, approved 「%s」, now %s" % (count, links[0][1], after), flush=True)
    b.logout()


def follow_an_approved_account(server, b):
    """系统管理员: the approved accounts whose code half it hands over wait on its home page; each
    opens the account's page with the code's validity (the handover itself is in person)."""
    b.login("sysadmin", server.totp("sysadmin"))
    b.shot("home-sysadmin", full=True)
    count, links = admin_queue(b, "queue-activation")
    if expect(links and "/admin/users/" in links[0][0], "sysadmin finds an account to hand a code over to (count %s): %s" % (count, b.text[:500])):
        b.driver.get(links[0][0])
        expect("有效至" in b.find("#account-activation").text and b.all("form[action$='/disable']"),
               "the account page shows the code in force and offers 停用: %s" % b.text[:400])
        expect(not b.all("form[action$='/unlock']"), "sysadmin is not offered 解除锁定 (安全管理员's)")
        b.shot("account-sysadmin", full=True)
        print("==> sysadmin: accounts awaiting activation %s, opened 「%s」" % (count, links[0][1]), flush=True)
    b.logout()


def review_admin_events(server, b):
    """审计管理员: the administrators' operations since the last review wait on its home page (the
    demo's proposals and the approval above); it reviews them on /admin/events."""
    b.login("auditadmin", server.totp("auditadmin"))
    b.shot("home-auditadmin", full=True)
    count, links = admin_queue(b, "queue-events")
    if not expect(links and count and count != "0", "auditadmin finds operations to review (count %s): %s" % (count, b.text[:500])):
        b.logout()
        return
    b.driver.get(links[0][0])
    expect("提出新建账号" in b.text and "批准新建账号" in b.text, "the events page lists the proposals and the approval")
    b.shot("events-auditadmin", full=True)
    b.submit(b.find("form[action='/admin/events/review']"))
    expect(b.all(".flash-ok"), "auditadmin records the review: %s" % b.text[:400])
    b.get("/")
    after, _ = admin_queue(b, "queue-events")
    expect(after == "0", "nothing waits after the review (%s, then %s)" % (count, after))
    print("==> auditadmin: events %s, reviewed, now %s" % (count, after), flush=True)
    b.logout()


def vendor_first_hour(b):
    """承建单位: its contracted projects with stage and dates; it has no step of its own in the flow,
    which the page says, and a contracted project's page offers it no action form."""
    b.login("vendor")
    b.shot("home-vendor", full=True)
    count = b.find("#project-count").text
    links = [(a.get_attribute("href"), a.text) for a in b.all("section[aria-labelledby='projects-heading'] table a[href*='/projects/']")]
    expect(b.all("#vendor-note") and "项目单位" in b.find("#vendor-note").text, "the vendor's home says the unit records every step")
    if expect(links and int(count) > 0 and "建设合同" in b.text, "the vendor sees its contracted projects and contracts (count %s)" % count):
        href, title = links[0]
        b.driver.get(href)
        code = title.split()[0]
        expect(code in b.text and not b.all("details[id^='action-'] form"),
               "the contracted project %s opens, with no action form for the vendor: %s" % (code, b.text[:300]))
        print("==> vendor: %s contracted projects, opened 「%s」" % (count, title), flush=True)
    b.logout()


def print_project_page(server, b):
    """Prints a demo project page to PDF as Chromium does, and turns each sheet into a PNG (pdftoppm)."""
    import base64
    from selenium.webdriver.common.print_page_options import PrintOptions
    b.login("health")
    b.get("/projects?q=" + "全民健康信息平台")
    links = [a.get_attribute("href") for a in b.all("table a[href*='/projects/']")]
    if not expect(links, "the list finds the project to print"):
        return
    b.driver.get(links[0])
    options = PrintOptions()
    options.page_width, options.page_height = 21.0, 29.7  # A4, in centimetres
    options.background = True
    pdf = os.path.join(b.shots, "print-project.pdf")
    with open(pdf, "wb") as out:
        out.write(base64.b64decode(b.driver.print_page(options)))
    if shutil.which("pdftoppm") is None:
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "install", "-y", "-q", "poppler-utils"], env=env, stdout=subprocess.DEVNULL)
    subprocess.run(["pdftoppm", "-png", "-r", "60", pdf, os.path.join(b.shots, "print-project")], check=True)
    sheets = [f for f in os.listdir(b.shots) if f.startswith("print-project") and f.endswith(".png")]
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True).stdout
    expect(sheets, "the printed project page has at least one sheet")
    expect("全民健康信息平台" in text and "退出" not in text, "the print shows the project and no navigation")
    print("==> printed project page: %d A4 sheets in %s" % (len(sheets), pdf), flush=True)
    b.logout()


def mail_settings(b):
    """邮件提醒: the unit follows the header's link, gives an address and 每日汇总, and finds both when
    it comes back; a malformed address is refused in Chinese and the saved setting stays."""
    from selenium.webdriver.common.by import By
    address = "xinxike@wjw.zz.gov.cn"

    def shown():
        return (b.find("#address").get_attribute("value"),
                [r.get_attribute("value") for r in b.all("input[name=delivery]") if r.is_selected()])

    b.login("health")
    b.driver.find_element(By.LINK_TEXT, "邮件提醒").click()
    expect(b.path == "/account/mail", "the header's 邮件提醒 opens /account/mail, not %s" % b.path)
    form = b.find("form[action='/account/mail']")
    b.fill(form, {"address": address})
    form.find_element("css selector", "input[name=delivery][value=digest]").click()
    b.submit(form)
    expect(b.all(".flash") and "已保存" in b.find(".flash").text, "saving the mail settings says so: %s" % b.text[:400])
    b.get("/")
    b.driver.find_element(By.LINK_TEXT, "邮件提醒").click()
    expect(shown() == (address, ["digest"]), "the mail page shows the saved address and 每日汇总 again: %s" % (shown(),))
    b.shot("mail-settings", full=True)
    form = b.find("form[action='/account/mail']")
    b.fill(form, {"address": "xinxike at wjw"})
    form.find_element("css selector", "input[name=delivery][value=immediate]").click()
    b.submit(form)
    refusal = " ".join(e.text for e in b.all(".refusal"))
    expect("邮件地址格式不正确" in refusal, "a malformed address is refused with a Chinese reason: %s" % (refusal or b.text[:400]))
    b.shot("mail-settings-refused")
    b.get("/account/mail")
    expect(shown() == (address, ["digest"]), "after the refusal the saved address and 每日汇总 stay: %s" % (shown(),))
    print("==> health's 邮件提醒: %s, 每日汇总; a malformed address refused, the setting kept" % address, flush=True)
    b.logout()


def batch_declaration(b, year):
    """批量申报: from the declaration form to /projects/import, the template downloaded, two projects
    written into it with openpyxl by its header row and 填写说明 sheet, uploaded: both created as
    drafts, linked. Then a workbook with one bad row: the table names the row, the column and the
    article, and neither of its projects exists."""
    openpyxl = openpyxl_module()
    from selenium.webdriver.common.by import By
    b.login("health")
    b.get("/projects/new")
    b.driver.find_element(By.LINK_TEXT, "用Excel模板批量申报").click()
    expect(b.path == "/projects/import", "the declaration form links the batch import, not %s" % b.path)
    before = set(os.listdir(b.downloads))
    b.find("a[href='/projects/import/template.xlsx']").click()
    template = downloaded_new(b.downloads, ".xlsx", before)
    if not expect(template, "the import page downloads the template .xlsx"):
        b.logout()
        return
    book = openpyxl.load_workbook(template)
    guide = {row[0]: row for row in book["填写说明"].iter_rows(min_row=2, values_only=True) if row[0]}
    header = [c.value for c in book["项目申报"][1]]
    required = [title for title, row in guide.items() if row[1] == "必填"]
    expect(required and all(t in header for t in required), "the template's header has every 必填 column of 填写说明: %s" % header)

    def choice(title, wanted):  # a value the 填写说明 sheet lists for the column
        options = (guide.get(title, (None, None, None, ""))[3] or "").split("、")
        return wanted if wanted in options else options[0]

    def workbook(rows, name):
        book = openpyxl.load_workbook(template)
        sheet = book["项目申报"]
        for r, values in enumerate(rows, start=2):
            for title, value in values.items():
                sheet.cell(row=r, column=header.index(title) + 1, value=value)
        path = os.path.join(os.path.dirname(b.downloads), name)
        book.save(path)
        return path

    def row(name, money):
        return {"项目名称": name, "项目来源": choice("项目来源", "项目单位按程序申报"), "计划年度": year + 2,
                "项目类别": choice("项目类别", "政务业务信息系统"), "总投资(元)": money,
                "建设内容": "建设全市统一的浏览器测试业务系统", "建设目标": "实现业务网上办理、数据共享"}

    def upload(path):
        b.get("/projects/import")
        b.find("#import-file").send_keys(path)
        b.submit(b.find("form[action='/projects/import']"))

    names = ["浏览器批量申报项目一", "浏览器批量申报项目二"]
    # As a person types it: money as a number, or in 万元 as the column's help allows.
    upload(workbook([row(names[0], 1234567.89), row(names[1], "123.5万")], "batch-good.xlsx"))
    created = [(a.text, a.get_attribute("href")) for a in b.all("#import-created a")]
    expect(b.all(".flash-ok") and sorted(n for n, _ in created) == names,
           "the two rows are created and linked: %s / %s" % (created, b.text[:500]))
    b.shot("import-created", full=True)
    if created:
        b.driver.get(created[0][1])
        expect(created[0][0] in b.text and "草稿" in b.text, "a created project's link opens its draft page: %s" % b.text[:300])
    b.get("/projects")
    total = b.find("#total-count").text
    bad = ["浏览器批量申报项目(应拒绝一)", "浏览器批量申报项目(应拒绝二)"]
    upload(workbook([row(bad[0], 800000), row(bad[1], -5)], "batch-bad.xlsx"))
    failures = [[td.text for td in tr.find_elements("css selector", "td")] for tr in b.all("#import-failures tbody tr")]
    expect(len(failures) == 1 and failures[0][:2] == ["3", "总投资(元)"] and failures[0][3] == "第九条",
           "the bad row is named with its column and article (row 3, 总投资(元), 第九条): %s / %s" % (failures, b.text[:500]))
    expect(not b.all("#import-created"), "a refused batch shows no created projects")
    b.shot("import-refused", full=True)
    b.get("/projects")
    expect(b.find("#total-count").text == total, "the refused batch creates nothing (%s projects, then %s)" % (total, b.find("#total-count").text))
    b.get("/projects?q=" + "应拒绝")
    expect(not b.all("table a[href*='/projects/']"), "neither row of the refused batch is a project, not even the good one")
    print("==> health's batch import: created %s; the bad workbook refused: %s" % ([n for n, _ in created], failures), flush=True)
    b.logout()


def project_stage(b):
    """The stage the project page's heading line shows (「ZZ-2026-0001 · 已申报」)."""
    import re
    found = re.search(r"ZZ-\d{4}-\d{4} · (\S+)", b.text)
    return found.group(1) if found else None


def urge_and_answer(server, b, project):
    """催办 (第三十五条): DRC urges the unit on a project in a stage where supervision applies, with a
    date to answer by; the unit finds it on its home page, answers from the link, and the project's
    record shows the answer and the home page no longer asks for it."""
    import datetime
    b.login("drc", server.totp("drc"))
    b.get(project)
    stage = project_stage(b)
    # Supervision.stages: every stage but 草稿, 已撤回, 审查未通过, 已终止.
    expect(stage and stage not in ("草稿", "已撤回", "审查未通过", "已终止"), "the project is in a stage DRC may urge, not %s" % stage)
    matter = "报送技术审查意见落实情况"
    answer_by = (datetime.date.today() + datetime.timedelta(days=7)).isoformat()
    act(b, project, "urge-unit", {"matter": matter, "message": "请于一周内报送按技术审查意见修改方案的落实情况", "answerBy": answer_by})
    expect(b.all(".flash-ok"), "DRC's 催办 is accepted on a project at %s: %s" % (stage, " ".join(e.get_attribute("textContent") for e in b.all(".refusal"))[:400]))
    b.logout()

    b.login("health")
    links = [(a.get_attribute("href"), a.text) for a in b.all("a") if (a.get_attribute("href") or "").endswith("#action-answer-urge") and matter in a.text]
    if not expect(links, "the unit finds the 催办「%s」 on its home page: %s" % (matter, b.text[:600])):
        b.logout()
        return
    expect("年" in links[0][1] and "期限" in links[0][1], "the home page's link says by when to answer: %s" % links[0][1])
    b.shot("home-unit-urged", full=True)
    b.driver.get(links[0][0])
    forms = b.all("details#action-answer-urge form")
    if not expect(forms, "the link opens the 答复催办 form"):
        b.logout()
        return
    b.open(forms[0])
    options = [o.get_attribute("value") for o in forms[0].find_elements("css selector", "select[name=urgeNumber] option") if matter in o.text]
    expect(options, "the form offers the 催办「%s」 to answer" % matter)
    b.fill(forms[0], {"urgeNumber": options[0] if options else "1", "answer": "已按技术审查意见修改建设方案,修改说明随后上传"})
    b.submit(forms[0])
    expect(b.all(".flash-ok"), "the unit's answer is accepted: %s" % b.text[:400])
    # The answer is on the project's record: the audit table (in a closed <details>) on its page.
    b.driver.execute_script("document.querySelectorAll('details.audit').forEach(function (d) { d.open = true; })")
    record = " ".join(e.get_attribute("textContent") for e in b.all("details.audit"))
    expect("项目单位答复市发展改革委催办第%s号「%s」" % (options[0] if options else "", matter) in record,
           "the project page's record shows the unit answered the 催办: %s" % record[:600])
    panel = " ".join(e.get_attribute("textContent") for e in b.all("section[aria-labelledby=urges-heading]"))
    expect(matter in panel and "已按技术审查意见修改建设方案" in panel and "已答复" in panel,
           "the project page's 催办 panel shows what was asked and the answer: %s" % panel[:600])
    b.shot("project-urge-answered", full=True)
    b.get("/")
    expect(not [a for a in b.all("a") if matter in a.text], "the answered 催办 leaves the unit's home page")
    print("==> drc urged 「%s」 on %s (%s), answer by %s; health answered it" % (matter, project, stage, answer_by), flush=True)
    b.logout()


def signed_decision_and_check(server, b):
    """A signed decision: FIN's 拨付 on a project of the health unit lists 「拨付建设资金」 among the
    project's signed decisions; its PDF downloads and names the project and the amount; the address
    printed on it (also its QR code) opens without an account and says the document is genuine."""
    import re
    b.login("fin", server.totp("fin"))
    name = "卫生监督执法信息系统"  # a demo project of the unit in 试运行, with fund plans not yet all paid
    b.get("/projects?q=" + name)
    links = [a.get_attribute("href") for a in b.all("table a[href*='/projects/']")]
    if not expect(links, "the list finds %s" % name):
        b.logout()
        return
    b.driver.get(links[0])
    project = b.path
    voucher = "ZF-浏览器-%d" % int(time.time())
    act(b, project, "disburse", {"amountFen": "10000.00", "voucherNumber": voucher})
    expect(b.all(".flash-ok"), "FIN's 拨付 is accepted: %s" % " ".join(e.get_attribute("textContent") for e in b.all(".refusal"))[:400])
    b.get(project)
    decisions = [a for a in b.all(".decision-list a") if a.text == "拨付建设资金"]
    if not expect(decisions, "the project page lists the signed 拨付 decision: %s" % b.text[:400]):
        b.logout()
        return
    before = set(os.listdir(b.downloads))
    decisions[-1].click()
    pdf = downloaded_new(b.downloads, ".pdf", before)
    b.logout()
    if not expect(pdf, "the decision's PDF downloads"):
        return
    if shutil.which("pdftotext") is None:
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "install", "-y", "-q", "poppler-utils"], env=env, stdout=subprocess.DEVNULL)
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True).stdout
    expect(name in text and voucher in text and "10,000.00元" in text, "the PDF names the project, the voucher and the amount: %s" % text[:600])
    found = re.search(r"https?://\S+(/verify/[0-9a-f-]{36})", text)
    if not expect(found, "the PDF prints the address to check it: %s" % text[-600:]):
        return
    # Anyone holding the paper: no login.
    b.get(found.group(1))
    expect(not b.path.startswith("/login") and "真实有效" in b.find("#verify-heading").text,
           "the check page says the document is genuine: %s" % b.text[:400])
    number = re.search(r"政信决〔\d{4}〕\d+号", text)
    expect(name in b.text and number and number.group(0) in b.text, "the check page shows the project and the PDF's document number")
    b.shot("verify-decision", full=True)
    b.get("/verify/00000000-0000-4000-8000-000000000000")
    expect("真实有效" not in b.text, "an unknown decision is not said to be genuine")
    print("==> fin's 拨付 on %s: decision PDF %s, %s checked genuine at %s" % (
        name, os.path.basename(pdf), number.group(0) if number else "?", found.group(1)), flush=True)


def main():
    ensure_tools()
    shots = os.environ.get("ZX_SCREENSHOTS") or tempfile.mkdtemp(prefix="zhengxin-screenshots.")
    os.makedirs(shots, exist_ok=True)
    print("==> screenshots in " + shots, flush=True)
    work = tempfile.mkdtemp(prefix="zhengxin-browser.")
    downloads = os.path.join(work, "downloads")
    os.makedirs(downloads)
    server = Server(work)
    started = time.time()
    browser = None
    try:
        server.start()
        print("==> serving the demo on " + server.base, flush=True)
        browser = Browser(server.base, shots, downloads)
        scenario(server, browser)
        # Every page sends a Content-Security-Policy (no inline script or style): nothing on them may break it.
        violations = browser.csp_violations()
        expect(not violations, "the console reports %d Content-Security-Policy violations:\n    %s" % (len(violations), "\n    ".join(violations[:20])))
        # The check checks itself: an inline script added now is refused, and the console says so.
        browser.driver.execute_script("var s = document.createElement('script'); s.textContent = 'window.zxInline = 1'; document.head.appendChild(s);")
        time.sleep(0.5)
        probe = browser.csp_violations()[len(violations):]
        expect(probe and browser.driver.execute_script("return window.zxInline === undefined"),
               "an inline script is refused by the Content-Security-Policy and reported on the console")
        print("==> browser console: %d lines, %d Content-Security-Policy violations (the probe's: %d)" % (len(browser.console), len(violations), len(probe)), flush=True)
    except Exception as error:  # a missing element or a timeout is a failure with a screenshot
        FAILURES.append("%s: %s" % (type(error).__name__, error))
        if browser:
            print("FAIL at %s, last screenshot %s" % (browser.path, browser.shot("failure", full=True)), flush=True)
    finally:
        if browser:
            browser.quit()
        server.stop()
        if os.environ.get("ZX_BROWSER_KEEP") == "1":
            print("==> kept " + work, flush=True)
        else:
            shutil.rmtree(work, ignore_errors=True)
    print("==> browser test: %d screenshots in %s, %.0fs, %d failures" % (len(os.listdir(shots)), shots, time.time() - started, len(FAILURES)))
    for f in FAILURES:
        print("  - " + f)
    sys.exit(1 if FAILURES else 0)


# --- Excel (.xlsx) downloads, read with openpyxl ---

def openpyxl_module():
    try:
        import openpyxl
    except ImportError:
        print("==> pip install openpyxl", flush=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "openpyxl"], check=True)
        import openpyxl
    return openpyxl


def downloaded_new(folder, suffix, before):
    """The file ending in `suffix` that appeared in `folder` since `before` (a set of names), once complete."""
    for _ in range(100):
        names = os.listdir(folder)
        done = [f for f in names if f.endswith(suffix) and f not in before]
        if done and not any(f.endswith(".crdownload") for f in names):
            return os.path.join(folder, done[0])
        time.sleep(0.1)
    return None


def download_xlsx(b, selector):
    before = set(os.listdir(b.downloads))
    b.find(selector).click()
    path = downloaded_new(b.downloads, ".xlsx", before)
    if not expect(path, "%s downloads an .xlsx" % selector):
        return None
    return openpyxl_module().load_workbook(path).active


def reports_xlsx(b, csv_text):
    """On /reports: the by-stage workbook has the CSV's header in bold, frozen below it, counts and money
    as numbers equal to the CSV's; the overdue workbook's 期限 is a date."""
    import datetime
    sheet = download_xlsx(b, "a[href^='/reports/by-stage.xlsx']")
    if sheet is None:
        return
    lines = [line.split(",") for line in csv_text.split("\r\n") if line]
    header = [c.value for c in sheet[1]]
    expect(header == lines[0], "the workbook's header is the CSV's: %s" % header)
    expect(all(c.font.b for c in sheet[1]), "the header row is bold")
    expect(sheet.freeze_panes == "A2", "panes frozen below the header, not %s" % sheet.freeze_panes)
    expect(sheet.title == "项目按阶段", "the sheet has a Chinese name, not %s" % sheet.title)
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    expect(len(rows) == len(lines) - 1, "one row per CSV line (%d, %d)" % (len(rows), len(lines) - 1))
    for row, line in zip(rows, lines[1:]):
        expect(isinstance(row[1], (int, float)) and row[1] == int(line[1]), "项目数 is a number equal to the CSV's: %s / %s" % (row, line))
        expect(all(isinstance(row[i], (int, float)) and abs(row[i] - float(line[i])) < 0.001 for i in range(3, 7)),
               "money in 元 equals the CSV's: %s / %s" % (row, line))
    expect(sheet.cell(row=2, column=4).number_format == "#,##0.00", "money shown as #,##0.00")
    overdue = download_xlsx(b, "a[href^='/reports/overdue.xlsx']")
    if overdue is not None and overdue.max_row >= 2:
        due = overdue.cell(row=2, column=5)
        expect(isinstance(due.value, datetime.datetime) and due.is_date, "期限 is an Excel date, not %r" % due.value)
    print("==> reports .xlsx: %d rows by stage equal to the CSV, header %s, overdue rows %d" % (
        len(rows), sheet.freeze_panes, overdue.max_row - 1 if overdue is not None else -1), flush=True)


def unit_projects_xlsx(b):
    """A unit's project list as a workbook: only its own unit, as many rows as the list counts (up to the cap)."""
    b.login("health")
    b.get("/projects")
    total = int(b.find("#total-count").text)
    sheet = download_xlsx(b, "a[href^='/projects.xlsx']")
    if sheet is not None:
        rows = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[1] is not None and r[2] is not None]
        units = {r[2] for r in rows}
        expect(len(rows) == min(total, 5000) and len(units) == 1, "the unit's workbook lists its %d projects of one unit: %d rows, units %s" % (total, len(rows), units))
        expect(all(isinstance(r[6], (int, float)) for r in rows), "总投资 is a number on every row")
        print("==> health's projects.xlsx: %d rows of %d listed, units %s" % (len(rows), total, sorted(units)), flush=True)
    b.logout()


if __name__ == "__main__":
    main()
