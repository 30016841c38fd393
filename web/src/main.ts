import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { i18n } from './i18n'
import { router, toLogin } from './router'
import { installSessionHooks } from './api/http'
import { useAuthStore } from './stores/auth'
import { vPerm } from './directives/perm'
import './styles/main.css'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia).use(i18n)

const auth = useAuthStore(pinia)
installSessionHooks({
  csrfToken: () => auth.csrfToken,
  actingGrant: () => auth.actingKey,
  onSignedOut: (error) => {
    if (!auth.signedIn) return
    auth.clear()
    toLogin(error.code)
  },
  onGate: () => {
    // The account must change its password or bind an authenticator first.
    auth
      .refresh()
      .then(() => router.replace('/'))
      .catch(() => router.replace({ name: 'login' }))
  },
})

app.use(router).directive('perm', vPerm)
document.documentElement.lang = i18n.global.locale.value
void router.isReady().then(() => app.mount('#app'))
