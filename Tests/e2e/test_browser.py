"""The web page in headless Chromium (Selenium): place an order through the form and watch it
complete, cancel another while it is paying (the worker runs with PAYMENT_DELAY_MS), and see the
API's field errors next to the fields. A screenshot of every state, at desktop and phone width,
goes to test-output/e2e/screenshots/. Then Temporal's own Web UI, as it shows the worker and an
order: the Workers page, the call stack, the current details and the activity summaries."""

import os
import re
import time

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import BASE_URL, OUT_DIR, TASK_QUEUE, http, make_product, order_request, row_lock, status_of, unique, wait_until

SCREENSHOTS = os.path.join(OUT_DIR, "screenshots")
TEMPORAL_UI_URL = os.environ.get("TEMPORAL_UI_URL", "http://localhost:8088").rstrip("/")
SIZES = {"desktop": (1280, 900), "narrow": (375, 812)}


@pytest.fixture(scope="module")
def browser():
    options = Options()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--hide-scrollbars"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(30)
    os.makedirs(SCREENSHOTS, exist_ok=True)
    yield driver
    driver.quit()


@pytest.fixture(params=list(SIZES))
def page(request, browser):
    """The page freshly loaded at one width; fails the test on any console error."""
    width, height = SIZES[request.param]
    browser.set_window_size(width, height)
    browser.get(BASE_URL + "/")
    wait(browser, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#catalog button"))
    wait(browser, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#items select.product option"))
    browser.get_log("browser")  # drop what loading logged before the test starts
    yield Page(browser, request.param)
    # The browser logs every 4xx answer as an error; the ones the tests provoke are expected.
    # Only our page counts (the Temporal Web UI has its own, e.g. its offline news feed).
    expected = ("favicon", "status of 400", "status of 409")
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"
              and BASE_URL in entry["message"] and not any(text in entry["message"] for text in expected)]
    assert not errors, f"console errors: {errors}"


def wait(driver, seconds=30):
    return WebDriverWait(driver, seconds, poll_frequency=0.2, ignored_exceptions=(StaleElementReferenceException,))


class Page:
    def __init__(self, driver, size):
        self.driver = driver
        self.size = size

    def shot(self, name, focus=None):
        """A full-page screenshot (the window grows to the page's height first) and, with
        `focus`, one of the card that matters as a user sees it on this screen."""
        width, height = SIZES[self.size]
        if focus:
            self.find(focus).screenshot(os.path.join(SCREENSHOTS, f"{self.size}-{name}-card.png"))
        full = self.driver.execute_script("return document.documentElement.scrollHeight")
        self.driver.set_window_size(width, max(height, full))
        self.driver.save_screenshot(os.path.join(SCREENSHOTS, f"{self.size}-{name}.png"))
        self.driver.set_window_size(width, height)

    def find(self, selector):
        return self.driver.find_element(By.CSS_SELECTOR, selector)

    def text(self, selector):
        return self.find(selector).text

    def fill_order(self, customer, product_id, quantity):
        field = self.find("#customer_id")
        field.clear()
        field.send_keys(customer)
        row = self.driver.find_elements(By.CSS_SELECTOR, "#items .item-row")[0]
        Select(row.find_element(By.CSS_SELECTOR, "select.product")).select_by_value(product_id)
        quantity_field = row.find_element(By.CSS_SELECTOR, "input.quantity")
        quantity_field.clear()
        quantity_field.send_keys(str(quantity))

    def submit(self):
        self.find("#submit-order").click()
        status = wait(self.driver).until(
            lambda d: re.search(r"Order (\S+) accepted", d.find_element(By.ID, "form-status").text))
        return status.group(1)

    def detail_status(self):
        badges = self.driver.find_elements(By.CSS_SELECTOR, "#detail-body .detail-grid .status")
        return badges[0].text.replace(" ", "_") if badges else None

    def wait_detail_status(self, wanted, seconds=60):
        wait(self.driver, seconds).until(lambda d: self.detail_status() == wanted,
                                         f"detail never showed {wanted} (last: {self.detail_status()})")

    def list_status(self, order_id):
        for row in self.driver.find_elements(By.CSS_SELECTOR, "#orders tr"):
            cells = row.find_elements(By.TAG_NAME, "td")
            if cells and cells[0].get_attribute("title") == order_id:
                return cells[1].text.replace(" ", "_")
        return None


def test_page_loads_with_catalog_form_and_links(page):
    names = [cell.text for cell in page.driver.find_elements(By.CSS_SELECTOR, "#catalog tr td:first-child")]
    assert any("Laptop Dell XPS 13" in name for name in names), names
    header_link = page.find("#temporal-ui-link").get_attribute("href")
    assert header_link == f"{TEMPORAL_UI_URL}/namespaces/default/workflows", header_link
    assert page.find("#customer_id").is_displayed() and page.find("#submit-order").is_displayed()
    # Nothing sticks out sideways on a narrow screen.
    overflow = page.driver.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"page is {overflow}px wider than the window"
    page.shot("01-loaded", ".orders")


def test_an_order_placed_through_the_form_reaches_completed(page):
    page.fill_order(f"cust-web-{page.size}", "PROD-005", 2)
    order_id = page.submit()
    wait(page.driver).until(lambda d: page.detail_status() is not None)
    page.shot("02-order-accepted", "#detail")
    page.wait_detail_status("completed")
    wait(page.driver, 10).until(lambda d: page.list_status(order_id) == "completed")
    body = page.text("#detail-body")
    assert "Gaming Mouse" in body and "order_completed" in body, body
    assert "179.98" in body, "total 2 × 89.99"
    link = page.driver.find_element(By.LINK_TEXT, "Open in Temporal Web UI").get_attribute("href")
    assert link == f"{TEMPORAL_UI_URL}/namespaces/default/workflows/{order_id}", link
    assert http("GET", f"/api/orders/{order_id}").json["status"] == "completed"
    page.shot("03-order-completed", "#detail")
    # The link leads to this very workflow in the Temporal Web UI.
    page.driver.get(link)
    wait(page.driver, 30).until(lambda d: order_id in d.title and "COMPLETED" in d.find_element(By.TAG_NAME, "body").text.upper(),
                                f"the Temporal Web UI at {link} did not show {order_id} as completed")
    assert "OrderWorkflow" in page.driver.find_element(By.TAG_NAME, "body").text
    page.shot("03b-temporal-web-ui")


def test_an_order_cancelled_from_the_page_ends_cancelled(page):
    page.fill_order(f"cust-cancel-{page.size}", "PROD-004", 1)
    order_id = page.submit()
    button = wait(page.driver).until(
        lambda d: next((b for b in d.find_elements(By.CSS_SELECTOR, "#detail-body button.danger")
                        if b.is_enabled()), None))
    button.click()
    answer = wait(page.driver, 10).until(lambda d: page.text("#cancel-status"))
    assert answer.startswith("Cancellation requested"), f"the cancel was refused: {answer}"
    page.shot("04-cancel-requested", "#detail")
    page.wait_detail_status("cancelled")
    wait(page.driver, 10).until(lambda d: page.list_status(order_id) == "cancelled")
    assert "order_cancelled" in page.text("#detail-body")
    assert not page.find("#detail-body button.danger").is_enabled(), "a cancelled order cannot be cancelled again"
    assert http("GET", f"/api/orders/{order_id}").json["status"] == "cancelled"
    page.shot("05-order-cancelled", "#detail")


def test_the_api_field_errors_show_next_to_the_fields(page):
    page.fill_order("not a valid id!", "PROD-001", 0)
    before = page.find("#detail").location
    page.find("#submit-order").click()
    customer_error = wait(page.driver, 10).until(
        lambda d: d.find_element(By.CSS_SELECTOR, '.field-error[data-field="customer_id"]').text)
    quantity_error = page.text('.field-error[data-field="items[0]"]')
    # The API's messages, under their fields, saying which field.
    assert customer_error.startswith("must be 1–64 characters"), customer_error
    assert quantity_error.startswith("Quantity must be an integer from 1 to 1000"), quantity_error
    assert "invalid" in page.find("#customer_id").get_attribute("class")
    assert "invalid" in page.find("#items input.quantity").get_attribute("class")
    assert "invalid" not in page.find("#items select.product").get_attribute("class")
    assert page.text('.field-error[data-field="body"]') == "", "nothing left over for the catch-all line"
    if page.size == "desktop":  # one line per message: nothing below the form moves
        assert page.find("#detail").location == before, "the page must not jump when errors appear"
    assert page.text("#form-status") == ""
    page.shot("06-field-errors", ".new-order")
    # Fixing the fields clears the errors on the next submit.
    page.fill_order(unique("cust-fixed"), "PROD-005", 1)
    page.submit()
    assert page.text('.field-error[data-field="customer_id"]') == ""


def ui_text(driver):
    """The Temporal Web UI's text, including what it renders in iframes (the current details' Markdown)."""
    text = driver.find_element(By.TAG_NAME, "body").text
    for frame in driver.find_elements(By.TAG_NAME, "iframe"):
        try:
            driver.switch_to.frame(frame)
            text += "\n" + driver.find_element(By.TAG_NAME, "body").text
        finally:
            driver.switch_to.default_content()
    return text


def ui_shot(driver, name, height=1000):
    driver.set_window_size(1400, height)
    driver.save_screenshot(os.path.join(SCREENSHOTS, f"temporal-ui-{name}.png"))
    driver.set_window_size(1400, 1000)


def ui_page_showing(driver, url, *texts, seconds=30):
    """Loads `url` until its text holds every one of `texts` (pages load their data once)."""
    deadline = time.monotonic() + seconds
    while True:
        driver.get(url)
        try:
            return wait(driver, 8).until(lambda d: (lambda t: t if all(x in t for x in texts) else None)(ui_text(d)))
        except TimeoutException:
            if time.monotonic() > deadline:
                raise AssertionError(f"{url} never showed {texts}; it shows: {ui_text(driver)[-1500:]}")


def test_the_temporal_web_ui_tells_the_order_story(browser):
    """The worker reports itself (heartbeats: the Workers page lists it on its task queue); an order
    held in CheckInventory shows, in the Call Stack tab, the line of OrderProcess.swift that waits
    and, under User Metadata, its current details; once done, every activity carries its summary."""
    browser.set_window_size(1400, 1000)
    workers = f"{TEMPORAL_UI_URL}/namespaces/default/workers?query=TaskQueue%3D%22{TASK_QUEUE}%22"
    ui_page_showing(browser, workers, TASK_QUEUE, "RUNNING")
    ui_shot(browser, "01-workers")

    product = make_product(price="1250.00", stock=10)
    with row_lock(product):
        reply = http("POST", "/api/orders", order_request(product, quantity=2, unit_price=1250.0))
        assert reply.status == 201, reply
        order_id, run_id = reply.json["order_id"], reply.json["run_id"]
        wait_until("the order to reach CheckInventory", lambda: status_of(order_id).get("step") == "CheckInventory")
        run = f"{TEMPORAL_UI_URL}/namespaces/default/workflows/{order_id}/{run_id}"
        stack = ui_page_showing(browser, run + "/call-stack", "OrderWorker/OrderProcess.swift:", "CheckInventory (attempt")
        assert re.search(r"awaiting activity: OrderWorker/OrderProcess\.swift:\d+ CheckInventory \(attempt \d of 5", stack), stack
        ui_shot(browser, "02-call-stack")
        details = ui_page_showing(browser, run + "/user-metadata", "Current step:", "CheckInventory")
        assert "Total: 2,500.00" in details and f"Items: 2 × {product}" in details, details
        ui_shot(browser, "03-current-details")
    wait_until("the order to complete", lambda: status_of(order_id)["status"] == "completed", timeout=60)
    ui_page_showing(browser, run + "/timeline", f"charge 2,500.00 for {order_id}", f"reserve stock for {order_id}")
    ui_shot(browser, "04-activity-summaries", 1200)
